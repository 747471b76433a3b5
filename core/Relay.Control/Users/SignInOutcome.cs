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
}
