using Relay.Protocols.Buffers;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Rtp;

namespace Relay.Media.Tests;

/// <summary>
/// The steady-state packet path allocates nothing: every per-packet operation is run after a warm-up
/// and the thread's allocated bytes must not move. The pinned pool is used because it reuses leases
/// (the leak-checking pool allocates a fresh one per rent by design).
/// </summary>
public class MediaAllocationTests
{
    private const int Iterations = 20_000;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void PacketCacheAddEvictAndLookUp_AllocateNothing()
    {
        var pool = new PinnedPacketBufferPool(blocksPerSlab: 64);
        using var cache = new PacketCache(capacity: 32);
        byte[] packet = TestRtp.Packet(0, extraBytes: 1200);

        long checksum = RunCache(pool, cache, packet, 0, 1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += RunCache(pool, cache, packet, 1000, Iterations);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void SequencerRewriteRetransmitAndSwitch_AllocateNothing()
    {
        var sequencer = new OutboundSequencer(_time, 0xCAFE, 100, 90000, 1000, 0);
        byte[] packet = TestRtp.Packet(0, ssrc: 1, extraBytes: 1200);
        byte[] retransmission = new byte[packet.Length];

        long checksum = RunSequencer(sequencer, packet, retransmission, 1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += RunSequencer(sequencer, packet, retransmission, Iterations);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void KeyframeChecksGateAndCoalescer_AllocateNothing()
    {
        byte[] vp8 = TestRtp.PayloadOf(TestRtp.LoadCapture("ffmpeg-vp8.hex")[0]);
        byte[] h264 = TestRtp.Hex("78 0004 6742c01f 0003 68ce3c 0005 6588840021");
        byte[] fuA = TestRtp.PayloadOf(TestRtp.LoadCapture("ffmpeg-h264.hex")[3]);
        var gate = new KeyframeGate(_time, TimeSpan.FromMilliseconds(1));
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(1));

        long checksum = RunKeyframes(vp8, h264, fuA, gate, coalescer, 1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += RunKeyframes(vp8, h264, fuA, gate, coalescer, Iterations);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void NackGeneratorStatisticsAndLimiter_AllocateNothing()
    {
        var generator = new NackGenerator(_time, capacity: 64, retryInterval: TimeSpan.FromMilliseconds(5));
        var statistics = new ReceiveStatistics(_time, 1, 90000);
        var limiter = new RetransmissionLimiter(_time);
        ushort[] nacks = new ushort[32];

        long checksum = RunReceiveSide(generator, statistics, limiter, nacks, 0, 1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += RunReceiveSide(generator, statistics, limiter, nacks, 1000, Iterations);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }

    private static long RunCache(PinnedPacketBufferPool pool, PacketCache cache, byte[] packet, int start, int count)
    {
        long checksum = 0;
        for (int i = start; i < start + count; i++)
        {
            PacketLease lease = pool.Rent();
            packet.CopyTo(lease.Buffer);
            lease.SetLength(packet.Length);
            if (!RtpPacketRewriter.TryCreate(lease.Span, out RtpPacketRewriter rewriter))
            {
                return 0;
            }

            rewriter.SetSequenceNumber((ushort)i);
            checksum += (int)cache.Add(lease);
            lease.Release();
            if (cache.TryGet((ushort)(i - 5), out PacketLease? found))
            {
                checksum += found.Length;
            }

            // A 16-packet loss burst every 1000 packets; a jump past the capacity every 5000.
            if (i % 5000 == 0)
            {
                i += 100;
            }
            else if (i % 1000 == 0)
            {
                i += 16;
            }
        }

        return checksum;
    }

    private long RunSequencer(OutboundSequencer sequencer, byte[] packet, byte[] retransmission, int count)
    {
        long checksum = 0;
        for (int i = 0; i < count; i++)
        {
            if (!RtpPacketRewriter.TryCreate(packet, out RtpPacketRewriter writer))
            {
                return 0;
            }

            uint source = (uint)(1 + (i / 5000));
            writer.SetSsrc(source);
            writer.SetSequenceNumber((ushort)i);
            writer.SetPayloadType(96);
            // Every 5000 packets the publisher reconnects under a new SSRC.
            packet.CopyTo(retransmission, 0);
            if (sequencer.TryRewrite(packet, _time.Now + i))
            {
                checksum += sequencer.HighestSequenceNumber;
            }

            if (sequencer.TryGetPublisherSequenceNumber((ushort)(sequencer.HighestSequenceNumber - 3), out ushort publisher))
            {
                checksum += publisher;
            }

            checksum += sequencer.TryRewriteRetransmission(retransmission) ? 1 : 0;
        }

        return checksum;
    }

    private long RunKeyframes(byte[] vp8, byte[] h264, byte[] fuA, KeyframeGate gate, KeyframeRequestCoalescer coalescer, int count)
    {
        long checksum = 0;
        long now = _time.Now;
        for (int i = 0; i < count; i++)
        {
            now += 100_000;
            checksum += (int)VideoPayload.GetKeyframeStatus(VideoCodec.Vp8, vp8);
            checksum += (int)VideoPayload.GetKeyframeStatus(VideoCodec.H264, h264);
            checksum += (int)VideoPayload.GetKeyframeStatus(VideoCodec.H264, fuA);
            checksum += VideoPayload.IsFrameStart(VideoCodec.Vp8, vp8) ? 1 : 0;
            checksum += H264PayloadInfo.TryRead(h264, out H264PayloadInfo info) ? (int)info.Begins : 0;
            if ((i & 63) == 0)
            {
                gate.Close();
            }

            checksum += (int)gate.Process((i & 7) == 0 ? KeyframeStatus.KeyframeStart : KeyframeStatus.NotKeyframeStart, now);
            KeyframeRequest request = coalescer.OnRequest((i & 1) == 0 ? KeyframeRequestKind.Pli : KeyframeRequestKind.Fir, now);
            checksum += request.ShouldSend ? request.FirSequenceNumber + 1 : 0;
            checksum += coalescer.Poll(now).ShouldSend ? 1 : 0;
            if ((i & 15) == 0)
            {
                coalescer.OnKeyframeReceived();
            }
        }

        return checksum;
    }

    private long RunReceiveSide(NackGenerator generator, ReceiveStatistics statistics, RetransmissionLimiter limiter, ushort[] nacks, int start, int count)
    {
        long checksum = 0;
        for (int i = start; i < start + count; i++)
        {
            long now = _time.Now + (i * 1_000_000L);
            ushort sequence = (ushort)i;
            if (i % 100 == 37)
            {
                continue;
            }

            checksum += (int)generator.OnPacketReceived(sequence, now);
            statistics.OnPacketReceived(sequence, (uint)i * 3000, now);
            if (i % 100 == 60)
            {
                // A late packet: the one lost 23 packets ago turns up.
                checksum += (int)generator.OnPacketReceived((ushort)(i - 23), now);
                statistics.OnPacketReceived((ushort)(i - 23), (uint)(i - 23) * 3000, now);
            }

            if ((i & 15) == 0)
            {
                int written = generator.CollectNacks(now, nacks);
                for (int n = 0; n < written; n++)
                {
                    checksum += limiter.TryAcquire(nacks[n], now) ? 1 : 0;
                }
            }

            if (i % 500 == 0)
            {
                statistics.OnSenderReport((ulong)i << 32, now);
                if (statistics.CreateReport(now, out ReportBlock report))
                {
                    checksum += report.ExtendedHighestSequenceNumber + report.FractionLost;
                }
            }
        }

        return checksum;
    }
}
