using System.Runtime.CompilerServices;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>
/// OpenSSL objects are freed whether transports are disposed or just dropped. Each test measures
/// several rounds after a warm-up (the first few hundred handshakes grow the heap by about 1 MB while
/// the runtime compiles and the allocator settles) and bounds the quietest round; a transport holds
/// about 75 KB and a certificate about 19 KB, so leaking either shows in every round by far more.
/// </summary>
[Collection(nameof(RunsAlone))]
public class DtlsNativeLifetimeTests
{
    private const int Rounds = 4;
    private const long Bound = 512 * 1024;

    [Fact]
    public void HandshakesThatAreDisposed_LeaveNoNativeMemoryBehind()
    {
        RunHandshakes(300, dispose: true);

        long growth = NativeHeap.SmallestGrowth(Rounds, () => RunHandshakes(200, dispose: true));

        Assert.InRange(growth, long.MinValue, Bound);
    }

    [Fact]
    public void TransportsThatAreNeverDisposed_AreFreedByTheirFinalizers()
    {
        RunHandshakes(300, dispose: false);

        long growth = NativeHeap.SmallestGrowth(Rounds, () => RunHandshakes(200, dispose: false));

        Assert.InRange(growth, long.MinValue, Bound);
    }

    [Fact]
    public void CertificatesThatAreDisposed_LeaveNoNativeMemoryBehind()
    {
        GenerateAndDispose(200);

        long growth = NativeHeap.SmallestGrowth(Rounds, () => GenerateAndDispose(200));

        Assert.InRange(growth, long.MinValue, Bound);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunHandshakes(int count, bool dispose)
    {
        for (int i = 0; i < count; i++)
        {
            var link = new DtlsLink();
            link.Run();
            DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
            if (dispose)
            {
                link.Dispose();
            }
        }
    }

    private static void GenerateAndDispose(int count)
    {
        for (int i = 0; i < count; i++)
        {
            DtlsCertificate.Generate().Dispose();
        }
    }
}
