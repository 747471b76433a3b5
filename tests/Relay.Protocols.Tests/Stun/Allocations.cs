namespace Relay.Protocols.Tests.Stun;

/// <summary>Counts bytes allocated on this thread by an operation after it has been warmed up (JIT, static tables).</summary>
internal static class Allocations
{
    public static long Measure(Action operation, int iterations = 10_000)
    {
        for (int i = 0; i < 1_000; i++)
        {
            operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            operation();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
