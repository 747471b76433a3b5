namespace Relay.Server.Recording;

/// <summary>Where and how every stream is recorded (<c>Relay:Recording</c>). Relative paths are under the data directory (<c>Relay:DataDirectory</c>).</summary>
internal sealed class RecordingOptions
{
    public const string SectionName = "Relay:Recording";

    /// <summary>Record every stream. Off only for measuring the relay without it: evidence is not kept.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The recordings' root: one directory per recording, holding its segments and manifest.</summary>
    public string Directory { get; set; } = "recordings";

    /// <summary>The node's evidence key (ECDSA P-256, PKCS#8 PEM), made on first start if missing; it signs the manifests.</summary>
    public string SigningKeyPath { get; set; } = "keys/evidence-signing-key.pem";

    /// <summary>A segment is closed and the next opened once it spans this long.</summary>
    public TimeSpan SegmentDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A segment is closed before it would pass this many bytes.</summary>
    public long SegmentMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Bytes of one recording waiting for storage past which its packets are dropped (and counted, and logged) rather than forwarding slowed.</summary>
    public long HighWaterBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>How often a recording's buffered bytes are handed to the OS when its 64 KiB buffer has not filled first (0: every 20 ms drain).</summary>
    public TimeSpan OsFlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Disk space reserved (fallocate) for each new segment file; the unused rest is released at its close. 0: none.</summary>
    public long SegmentPreallocationBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>How long shutdown waits for the recordings to close their last segments and sign their manifests.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
