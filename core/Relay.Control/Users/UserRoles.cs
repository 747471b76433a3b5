namespace Relay.Control.Users;

/// <summary>What a person signed in to the relay may do.</summary>
public static class UserRoles
{
    /// <summary>Creates sessions, sends links, watches live, reads a session's location and chat.</summary>
    public const string Officer = "officer";

    /// <summary>Everything an officer may do, and reviews others' sessions and users' roles.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Exports, discloses and erases recorded evidence.</summary>
    public const string EvidenceManager = "evidence-manager";

    /// <summary>Runs the relay: configuration, health, metrics, plugins.</summary>
    public const string Engineer = "engineer";

    public static IReadOnlyList<string> All { get; } = [Officer, Supervisor, EvidenceManager, Engineer];

    public static bool IsKnown(string? role) => role is Officer or Supervisor or EvidenceManager or Engineer;
}
