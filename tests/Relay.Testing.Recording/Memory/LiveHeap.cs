namespace Relay.Testing.Recording.Memory;

/// <summary>The live managed heap after a full, blocking collection: what is held, not what was allocated.</summary>
public sealed class LiveHeap
{
    public long Baseline { get; private set; }

    public long Peak { get; private set; }

    public int Samples { get; private set; }

    public void Start()
    {
        Baseline = GC.GetTotalMemory(forceFullCollection: true);
        Peak = Baseline;
    }

    public void Sample()
    {
        Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true));
        Samples++;
    }
}
