namespace Relay.Media.Streams;

/// <summary>Settings of one <see cref="MediaStream"/>.</summary>
public sealed class MediaStreamOptions
{
    /// <summary>How long a stream whose publisher vanished is kept for it to reconnect.</summary>
    public TimeSpan PublisherGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Packets kept per video track to answer viewers' NACKs (1 to 32768).</summary>
    public int PacketCacheCapacity { get; set; } = 1024;

    /// <summary>Least time between two keyframe requests to the publisher (viewers' PLI/FIR are coalesced).</summary>
    public TimeSpan KeyframeRequestInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Bytes a second the relay resends to one viewer at most, with a burst of one second's worth
    /// (250,000, 2 Mbit/s, by default: several times what 10% loss on a 2.5 Mbit/s stream needs).
    /// </summary>
    public long MaxRetransmissionBytesPerSecond { get; set; } = 250_000;

    /// <summary>How often receiver reports go to the publisher and sender reports to viewers.</summary>
    public TimeSpan ReceiverReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Fault injection for end-to-end tests: the share (0..1) of first transmissions to viewers that are
    /// dropped before encryption (never retransmissions). 0 in production.
    /// </summary>
    public double ViewerPacketLossForTesting { get; set; }

    /// <summary>Seed of the loss injection's random source, so a run is repeatable.</summary>
    public int ViewerPacketLossSeed { get; set; } = 1;
}
