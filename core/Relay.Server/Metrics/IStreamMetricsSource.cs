namespace Relay.Server.Metrics;

/// <summary>The streams' side of the metrics: counts, and sums of their counters (ended streams included).</summary>
internal interface IStreamMetricsSource
{
    int StreamCount { get; }

    int ViewerCount { get; }

    long NacksReceived { get; }

    long RetransmissionsSent { get; }

    StreamMetricsSnapshot Snapshot();
}

/// <summary>Stream counters summed over every stream the node has had.</summary>
internal sealed record StreamMetricsSnapshot(long PliReceived, long FirReceived, long KeyframeRequestsSent, IReadOnlyList<(string Reason, long Value)> Drops)
{
    public static StreamMetricsSnapshot Empty { get; } = new(0, 0, 0, []);
}
