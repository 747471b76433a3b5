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
