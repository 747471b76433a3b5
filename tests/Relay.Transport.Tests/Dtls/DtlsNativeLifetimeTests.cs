using System.Runtime.CompilerServices;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>OpenSSL objects are freed whether transports are disposed or just dropped.</summary>
[Collection(nameof(RunsAlone))]
public class DtlsNativeLifetimeTests
{
    // The first few hundred handshakes grow the heap while the runtime tiers up its code and the
    // allocator settles (measured: about 1 MB, then tens of KB per 300), so measure after those.
    private const int WarmUp = 600;
    private const int Measured = 600;

    [Fact]
    public void HandshakesThatAreDisposed_LeaveNoNativeMemoryBehind()
    {
        RunHandshakes(WarmUp, dispose: true);
        long before = NativeHeap.AllocatedBytes();

        RunHandshakes(Measured, dispose: true);

        Assert.InRange(NativeHeap.AllocatedBytes() - before, long.MinValue, 512 * 1024);
    }

    [Fact]
    public void TransportsThatAreNeverDisposed_AreFreedByTheirFinalizers()
    {
        RunHandshakes(WarmUp, dispose: false);
        Collect();
        long before = NativeHeap.AllocatedBytes();

        RunHandshakes(Measured, dispose: false);
        Collect();

        Assert.InRange(NativeHeap.AllocatedBytes() - before, long.MinValue, 512 * 1024);
    }

    [Fact]
    public void CertificatesThatAreDisposed_LeaveNoNativeMemoryBehind()
    {
        for (int i = 0; i < 20; i++)
        {
            DtlsCertificate.Generate().Dispose();
        }

        long before = NativeHeap.AllocatedBytes();
        for (int i = 0; i < 200; i++)
        {
            DtlsCertificate.Generate().Dispose();
        }

        Assert.InRange(NativeHeap.AllocatedBytes() - before, long.MinValue, 512 * 1024);
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

    private static void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
