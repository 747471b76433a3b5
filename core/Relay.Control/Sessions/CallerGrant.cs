namespace Relay.Control.Sessions;

/// <summary>What a valid caller key allows: this session, in this mode.</summary>
public sealed record CallerGrant(string SessionId, SessionMode Mode, bool Audio);
