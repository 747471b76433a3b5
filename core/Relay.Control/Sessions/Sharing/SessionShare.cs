namespace Relay.Control.Sessions.Sharing;

/// <summary>One officer a session is shared with: who shared it, when, and why.</summary>
/// <param name="SessionId">The shared session.</param>
/// <param name="Officer">The sign-in name of the officer it is shared with.</param>
/// <param name="SharedBy">Who shared it (a supervisor, or the officer who created the session).</param>
/// <param name="SharedAt">When (UTC, to the microsecond).</param>
/// <param name="Reason">Why, in the sharer's words.</param>
public sealed record SessionShare(string SessionId, string Officer, string SharedBy, DateTimeOffset SharedAt, string Reason);
