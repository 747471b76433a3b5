namespace Relay.Control.Users;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    /// <summary>The password was right.</summary>
    Succeeded,

    /// <summary>Unknown user or wrong password: deliberately not told apart.</summary>
    Failed,

    /// <summary>Too many failures; see <see cref="SignInResult.LockedUntil"/>.</summary>
    LockedOut,

    /// <summary>The password was right, but the account is disabled.</summary>
    Disabled,

    /// <summary>
    /// The password was right, but it is a temporary one from a reset: the person must choose a new one
    /// (<see cref="IUserDirectory.ChangePasswordAsync"/>) before they can sign in.
    /// </summary>
    PasswordChangeRequired,
}
