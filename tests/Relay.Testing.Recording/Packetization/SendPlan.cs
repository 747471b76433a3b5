namespace Relay.Testing.Recording.Packetization;

/// <summary>How one track's frames are sent: network conditions and an optional publisher reconnect.</summary>
public sealed record SendPlan
{
    /// <summary>Wall-clock time of the clip's start, microseconds since the Unix epoch.</summary>
    public long StartMicroseconds { get; init; } = 1_790_000_000_000_000;

    public int Seed { get; init; } = 1;

    /// <summary>Probability of losing each packet sent before <see cref="LossUntilSeconds"/>.</summary>
    public double LossRate { get; init; }

    public double LossUntilSeconds { get; init; } = double.MaxValue;

    /// <summary>Probability of swapping a packet's arrival with the next one's.</summary>
    public double ReorderRate { get; init; }

    /// <summary>Network delay added to every arrival.</summary>
    public double DelaySeconds { get; init; } = 0.030;

    /// <summary>The largest extra random delay (jitter) per frame.</summary>
    public double JitterSeconds { get; init; } = 0.008;

    /// <summary>The first frame sent over a new connection (new SSRC, sequence and timestamp), or null.</summary>
    public int? ReconnectAtFrame { get; init; }

    /// <summary>The reconnect restarts only the RTP clock: same SSRC, sequence numbers carry on.</summary>
    public bool ReconnectKeepsSsrcAndSequence { get; init; }

    /// <summary>Wall-clock time with nothing sent before the reconnect.</summary>
    public double ReconnectGapSeconds { get; init; } = 2.0;

    /// <summary>The reconnect's first RTP timestamp, instead of a random one (to put a wrap just after it, say).</summary>
    public uint? ReconnectTimestampBase { get; init; }

    /// <summary>The reconnect's first sequence number, instead of a random one.</summary>
    public ushort? ReconnectSequenceBase { get; init; }

    /// <summary>Frames whose every packet is lost, besides those <see cref="LossRate"/> loses.</summary>
    public IReadOnlySet<int> LostFrames { get; init; } = new HashSet<int>();

    /// <summary>Send an RTCP sender report every half second of media.</summary>
    public bool SenderReports { get; init; }

    /// <summary>The sender's NTP clock at the clip's start, seconds since 1900 (the phone's own clock).</summary>
    public double SenderNtpStartSeconds { get; init; } = 3_990_000_000.25;
}
