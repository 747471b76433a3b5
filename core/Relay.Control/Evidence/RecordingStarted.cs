namespace Relay.Control.Evidence;

/// <summary>A recording of session <paramref name="SessionId"/> began on node <paramref name="NodeId"/>.</summary>
public sealed record RecordingStarted(Guid RecordingId, string SessionId, string NodeId, DateTimeOffset StartedAt);
