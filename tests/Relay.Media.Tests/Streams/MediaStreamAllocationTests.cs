using Relay.Media.Streams;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtcp;
using Relay.Transport.Peers;

namespace Relay.Media.Tests.Streams;

/// <summary>
/// The steady-state forward path allocates nothing: a publisher packet fanned out to two viewers over
/// real transports (rewrite, SRTP protect, UDP send), with viewer NACKs answered (RTX and plain) and
/// the stream's Tick (NACKs, receiver and sender reports) in between. The packets are handed to the
/// stream's handlers on this thread so the thread's allocation counter sees all of the work.
/// </summary>
/// <remarks>
/// The test project turns dynamic PGO off (TieredPGO in its csproj): its instrumented tier allocates
/// class-probe data on the running thread now and then, which showed up here as 50-350 stray bytes
/// in about half the runs, none of them the fan-out's.
/// </remarks>
public class MediaStreamAllocationTests
{
    // Past two report intervals (1 ms per packet), so every path, sender reports included, has run before measuring.
    private const int Warmup = 2_500;
    private const int Measured = 10_000;

    [Fact]
    public async Task ForwardingRetransmittingAndTicking_AllocateNothing()
    {
        await using var harness = new StreamHarness();
        (MediaPublisher publisher, TestPeer publisherPeer) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (MediaSubscriber plain, TestPeer one) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(0xAAAA0001));
        (MediaSubscriber rtx, TestPeer two) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(0xBBBB0002, rtxSsrc: 0xBBBB0009, rtxPayloadType: 101));
        one.Handler.Copy = false;
        two.Handler.Copy = false;
        publisherPeer.Handler.Copy = false;
        var pool = new PinnedPacketBufferPool(blocksPerSlab: 2048);
        var rtcp = new byte[256];

        Run(harness, publisher, plain, rtx, publisherPeer.RelaySide, pool, rtcp, 0, Warmup);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(harness, publisher, plain, rtx, publisherPeer.RelaySide, pool, rtcp, Warmup, Measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2L * (Warmup + Measured), harness.Stream.Counters.RtpPacketsOut - harness.Stream.Counters.RetransmissionsSent);
        Assert.True(harness.Stream.Counters.RetransmissionsSent > 0);
        Assert.True(harness.Stream.Counters.SenderReportsSent > 0);
        Assert.Equal(0, harness.Stream.Counters.GetDrops(MediaDropReason.ProtectFailed));
    }

    private static void Run(
        StreamHarness harness, IPeerMediaHandler publisher, IPeerMediaHandler plain, IPeerMediaHandler rtx, PeerTransport peer, PinnedPacketBufferPool pool, byte[] rtcp, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(1));
            PacketLease lease = pool.Rent();
            int length = StreamMedia.WriteVp8(lease.Buffer, (ushort)i, (uint)(i / 5 * 3000), keyframe: i == 0);
            lease.SetLength(length);
            publisher.OnRtp(peer, lease);

            if (i % 1000 == 1)
            {
                // The publisher's sender report, which the viewers' reports are derived from.
                PacketLease report = pool.Rent();
                new SenderReportWriter(StreamMedia.PublisherVideoSsrc, new SenderInfo((ulong)i << 32, (uint)(i / 5 * 3000), (uint)i, (uint)i * 200)).TryWrite(report.Buffer, out int written);
                report.SetLength(written);
                publisher.OnRtcp(peer, report);
            }

            if (i % 10 == 9)
            {
                // Each viewer asks again for a packet 5 back (its own numbering is the publisher's plus an offset).
                Nack(plain, peer, pool, rtcp, 0xAAAA0001);
                Nack(rtx, peer, pool, rtcp, 0xBBBB0002);
            }

            if (i % 20 == 0)
            {
                harness.Stream.Tick(harness.Time.Now);
            }
        }
    }

    private static void Nack(IPeerMediaHandler viewer, PeerTransport peer, PinnedPacketBufferPool pool, byte[] rtcp, uint ssrc)
    {
        PacketLease lease = pool.Rent();
        int length = StreamMedia.WriteNack(rtcp, 1, ssrc, LastSequence(viewer));
        rtcp.AsSpan(0, length).CopyTo(lease.Buffer);
        lease.SetLength(length);
        viewer.OnRtcp(peer, lease);
    }

    private static ushort LastSequence(IPeerMediaHandler viewer) =>
        (ushort)(((MediaSubscriber)viewer).Video!.Sequencer!.HighestSequenceNumber - 5);
}
