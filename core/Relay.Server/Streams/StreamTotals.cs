using Relay.Media.Streams;

namespace Relay.Server.Streams;

/// <summary>Sums of <see cref="MediaStreamCounters"/> over streams, as the metrics read them.</summary>
internal sealed class StreamTotals
{
    public static readonly MediaDropReason[] DropReasons = Enum.GetValues<MediaDropReason>();

    private readonly long[] _drops = new long[DropReasons.Length];

    public long NacksReceived { get; private set; }

    public long RetransmissionsSent { get; private set; }

    public long PlisReceived { get; private set; }

    public long FirsReceived { get; private set; }

    public long KeyframeRequestsSent { get; private set; }

    public ReadOnlySpan<long> Drops => _drops;

    public void Add(MediaStreamCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        NacksReceived += counters.NacksReceived;
        RetransmissionsSent += counters.RetransmissionsSent;
        PlisReceived += counters.PlisReceived;
        FirsReceived += counters.FirsReceived;
        KeyframeRequestsSent += counters.KeyframeRequestsSent;
        for (int i = 0; i < DropReasons.Length; i++)
        {
            _drops[i] += counters.GetDrops(DropReasons[i]);
        }
    }

    public void Add(StreamTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        NacksReceived += other.NacksReceived;
        RetransmissionsSent += other.RetransmissionsSent;
        PlisReceived += other.PlisReceived;
        FirsReceived += other.FirsReceived;
        KeyframeRequestsSent += other.KeyframeRequestsSent;
        for (int i = 0; i < DropReasons.Length; i++)
        {
            _drops[i] += other._drops[i];
        }
    }
}
