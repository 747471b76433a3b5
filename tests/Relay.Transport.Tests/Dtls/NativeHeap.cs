using System.Runtime.InteropServices;

namespace Relay.Transport.Tests.Dtls;

/// <summary>
/// Bytes the process holds from malloc (glibc's mallinfo2, all arenas), which is where OpenSSL's
/// allocations go. Other threads allocate too, so tests using it run alone (see <see cref="RunsAlone"/>)
/// and compare against generous bounds.
/// </summary>
internal static partial class NativeHeap
{
    public static long AllocatedBytes()
    {
        MallInfo2 info = mallinfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    /// <summary>
    /// Runs <paramref name="round"/> <paramref name="rounds"/> times and returns the smallest heap
    /// growth of any run, measured after collecting (so finalizers have freed what they free). A
    /// leak grows the heap in every round; the runtime's own allocations (tiered compilation on a
    /// busy machine, allocator caches) come in bursts, so at least one round is quiet.
    /// </summary>
    public static long SmallestGrowth(int rounds, Action round)
    {
        long smallest = long.MaxValue;
        for (int i = 0; i < rounds; i++)
        {
            Collect();
            long before = AllocatedBytes();
            round();
            Collect();
            smallest = Math.Min(smallest, AllocatedBytes() - before);
        }

        return smallest;
    }

    public static void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial MallInfo2 mallinfo2();

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
    }
}

/// <summary>Tests that measure process-wide memory run in this collection, after and apart from all others.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
