using Relay.Control.Users;

namespace Relay.Control.Sessions.Sharing;

/// <summary>
/// Who is asking to see a session: a system holding an API key (<see cref="IsSystem"/>), or a
/// person signed in with their roles (<see cref="UserRoles"/>).
/// </summary>
public sealed record SessionViewer
{
    private SessionViewer(string name, bool isSystem, IReadOnlyList<string> roles)
    {
        Name = name;
        IsSystem = isSystem;
        Roles = roles;
    }

    /// <summary>The key's name or the person's sign-in name: what <see cref="CallSession.CreatedBy"/> records.</summary>
    public string Name { get; }

    /// <summary>An API key: a system (a CAD, a gateway) rather than a person.</summary>
    public bool IsSystem { get; }

    public IReadOnlyList<string> Roles { get; }

    public bool IsSupervisor => Has(UserRoles.Supervisor);

    public static SessionViewer System(string keyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        return new SessionViewer(keyName, isSystem: true, []);
    }

    public static SessionViewer Person(string name, IReadOnlyList<string> roles)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(roles);
        return new SessionViewer(name, isSystem: false, roles);
    }

    public bool Has(string role)
    {
        foreach (string held in Roles)
        {
            if (string.Equals(held, role, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
