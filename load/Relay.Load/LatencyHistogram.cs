namespace Relay.Load;

/// <summary>
/// Forwarding latencies in 10 µs buckets up to 100 ms, recorded without allocating so that measuring
/// does not disturb what is measured. Not thread-safe: one per receiving worker, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double BucketMicroseconds = 10;
    private readonly long[] _buckets = new long[10_001];

    public long Count { get; private set; }

    public void Record(double microseconds)
    {
        int bucket = microseconds <= 0 ? 0 : (int)Math.Min(_buckets.Length - 1, microseconds / BucketMicroseconds);
        _buckets[bucket]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] += other._buckets[i];
        }

        Count += other.Count;
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the samples fall, in microseconds (bucket upper bound).</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        long rank = (long)Math.Ceiling(quantile * Count);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return (i + 1) * BucketMicroseconds;
            }
        }

        return _buckets.Length * BucketMicroseconds;
    }
}
