namespace Relay.Control.Users;

/// <summary>The people who sign in to the relay, their roles, and their sign-ins.</summary>
public interface IUserDirectory
{
    /// <summary>Whether any user exists (the first administrator is created only when none does).</summary>
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);

    Task<RelayUser?> FindAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RelayUser>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a user; a <see cref="UserException"/> says why not (name in use, weak password, unknown role).</summary>
    Task<RelayUser> CreateAsync(string name, string displayName, IReadOnlyList<string> roles, string password, string actor, CancellationToken cancellationToken = default);

    /// <summary>Checks a password, counting failures towards a lockout. Every outcome is audited.</summary>
    Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken = default);

    Task<RelayUser> SetRolesAsync(string name, IReadOnlyList<string> roles, string actor, CancellationToken cancellationToken = default);

    Task<RelayUser> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken cancellationToken = default);

    Task<RelayUser> SetPasswordAsync(string name, string password, string actor, CancellationToken cancellationToken = default);
}
