namespace Relay.Control.Sessions;

/// <summary>
/// The answer to the caller's Start: on success (<see cref="CallerLinkStatus.Valid"/>) the live
/// session and the caller key, which exists only here and in the caller's browser.
/// </summary>
public sealed record CallerStart(CallerLinkStatus Status, CallSession? Session, string? CallerKey, TimeSpan RetryAfter);
