namespace Relay.Control.Users;

/// <summary>The outcome of <see cref="IUserDirectory.SignInAsync"/>.</summary>
/// <param name="User">The user, when <see cref="Outcome"/> is <see cref="SignInOutcome.Succeeded"/>.</param>
/// <param name="LockedUntil">When a lockout ends, for <see cref="SignInOutcome.LockedOut"/>.</param>
public sealed record SignInResult(SignInOutcome Outcome, RelayUser? User, DateTimeOffset? LockedUntil);
