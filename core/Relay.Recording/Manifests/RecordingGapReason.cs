namespace Relay.Recording.Manifests;

/// <summary>Why a recording has a gap.</summary>
public enum RecordingGapReason
{
    /// <summary>The publisher's connection ended and it reconnected (within the stream's grace period).</summary>
    PublisherReconnect = 1,

    /// <summary>Storage did not keep up: packets were received and dropped rather than block forwarding.</summary>
    StorageStall = 2,
}
