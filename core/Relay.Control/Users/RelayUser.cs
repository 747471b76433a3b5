namespace Relay.Control.Users;

/// <summary>A person who signs in to the relay.</summary>
/// <param name="Name">The sign-in name, unique regardless of case.</param>
/// <param name="DisplayName">How the person is shown (rank and name, collar number).</param>
/// <param name="Roles">Some of <see cref="UserRoles.All"/>.</param>
/// <param name="Disabled">A disabled user cannot sign in, and their existing sign-ins stop working.</param>
/// <param name="LockedUntil">Set after too many failed sign-ins; sign-in is refused until then.</param>
/// <param name="SecurityStamp">Changes whenever the roles, password or disabled flag change, so older sign-ins can be told apart.</param>
public sealed record RelayUser(
    string Name,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool Disabled,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    string SecurityStamp)
{
    /// <summary>
    /// The password was reset by an engineer: it is a one-time temporary password that only lets the person choose
    /// a new one, never sign in.
    /// </summary>
    public bool MustChangePassword { get; init; }

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
