namespace Relay.Control.Sessions;

/// <summary>The answer to a link token: its status, the session (unless unknown or limited), and when a limited client may try again.</summary>
public sealed record CallerLinkCheck(CallerLinkStatus Status, CallSession? Session, TimeSpan RetryAfter);
