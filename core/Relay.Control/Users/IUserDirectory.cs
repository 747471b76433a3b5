using Relay.Control.Audit;

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

    /// <summary>
    /// An engineer's reset: the user gets a new random password, returned here once and never stored in clear, that
    /// only lets them choose their own (<see cref="RelayUser.MustChangePassword"/>); their sign-ins end and a lockout
    /// is lifted. Audited as <see cref="PasswordResetAction"/> by <paramref name="actor"/>.
    /// </summary>
    Task<string> ResetPasswordAsync(string name, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// The person changes their own password, proving the current one (a wrong one counts towards the lockout as a
    /// failed sign-in). Ends a temporary password's <see cref="RelayUser.MustChangePassword"/> and every other
    /// sign-in. A <see cref="UserException"/> says why not. Audited as a password change by the person.
    /// </summary>
    Task<RelayUser> ChangePasswordAsync(string name, string currentPassword, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>The audit action of <see cref="ResetPasswordAsync"/>.</summary>
    public const string PasswordResetAction = AuditActions.PasswordReset;
}
