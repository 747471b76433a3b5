using Relay.Protocols.Buffers;
using Relay.Protocols.Rtp;
using Relay.Testing.Buffers;

namespace Relay.Media.Tests;

/// <summary>
/// The pieces together as the fan-out will use them, on a VP8 stream built from the FFmpeg capture:
/// cache every received packet, gate and sequence each subscriber, answer subscriber NACKs from the
/// cache with the header the subscriber first saw, survive a publisher reconnect, and leak nothing.
/// </summary>
public class FanOutFlowTests
{
    private const uint FirstPublisherSsrc = 0x11110000;
    private const uint SecondPublisherSsrc = 0x22220000;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void SubscriberNacksAreAnsweredOnceFromTheCache_AcrossAReconnect_WithoutLeaks()
    {
        byte[][] capture = TestRtp.LoadCapture("ffmpeg-vp8.hex");
        using var pool = new LeakCheckingPacketBufferPool();
        var cache = new PacketCache(capacity: 64);
        var coalescer = new KeyframeRequestCoalescer(_time);
        var early = new Subscriber(_time, 0xAAAA0001, new Random(1));
        var late = new Subscriber(_time, 0xBBBB0002, new Random(2));

        // 40 packets from the first publisher session; the second viewer joins at packet 25, mid-frame.
        ushort publisherSequence = 60000;
        for (int i = 0; i < 40; i++)
        {
            Receive(pool, cache, coalescer, capture[i % capture.Length], publisherSequence++, (uint)(i / 19 * 9000), FirstPublisherSsrc, i < 25 ? [early] : [early, late]);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(40, early.Sent.Count);
        Assert.Equal(40 - 38, late.Sent.Count);
        Assert.Equal(1, coalescer.Sent);

        // The early viewer lost three packets: each NACK is answered once, byte for byte as first sent.
        ushort[] lost = [(ushort)(early.FirstSequence + 5), (ushort)(early.FirstSequence + 6), (ushort)(early.FirstSequence + 30)];
        foreach (ushort sequenceNumber in lost)
        {
            Assert.True(early.TryAnswerNack(pool, cache, sequenceNumber, _time.Now, out byte[]? resent));
            Assert.Equal(early.Sent[sequenceNumber], resent);
            Assert.False(early.TryAnswerNack(pool, cache, sequenceNumber, _time.Now, out _));
        }

        // Packets before the late viewer joined were never its own: nothing to resend.
        Assert.False(late.TryAnswerNack(pool, cache, (ushort)(late.FirstSequence - 1), _time.Now, out _));

        // The publisher reconnects under a new SSRC, 2 s later, with its own numbering; the cache starts afresh.
        _time.Advance(TimeSpan.FromSeconds(2));
        cache.Clear();
        late.Gate.Close();
        early.Gate.Close();
        ushort earlyLast = early.Sequencer.HighestSequenceNumber;
        for (int i = 0; i < 19; i++)
        {
            Receive(pool, cache, coalescer, capture[i], (ushort)(100 + i), 5_000_000, SecondPublisherSsrc, [early, late]);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.True(early.Sent.ContainsKey((ushort)(earlyLast + 1)));
        Assert.Equal(early.Sequencer.HighestSequenceNumber, (ushort)(earlyLast + 19));

        // A NACK for a packet of the old session finds nothing; one for the new session is answered.
        Assert.False(early.TryAnswerNack(pool, cache, lost[0], _time.Now + ManualTimeProvider.Milliseconds(500), out _));
        ushort fresh = (ushort)(earlyLast + 3);
        Assert.True(early.TryAnswerNack(pool, cache, fresh, _time.Now, out byte[]? answer));
        Assert.Equal(early.Sent[fresh], answer);

        cache.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }

    private void Receive(PacketBufferPool pool, PacketCache cache, KeyframeRequestCoalescer coalescer, byte[] captured, ushort sequenceNumber, uint timestamp, uint ssrc, Subscriber[] subscribers)
    {
        PacketLease received = pool.Rent();
        captured.CopyTo(received.Buffer);
        received.SetLength(captured.Length);
        received.Timestamp = _time.Now;
        Assert.True(RtpPacketRewriter.TryCreate(received.Span, out RtpPacketRewriter rewriter));
        rewriter.SetSequenceNumber(sequenceNumber);
        rewriter.SetTimestamp(timestamp);
        rewriter.SetSsrc(ssrc);

        Assert.Equal(PacketCacheAddResult.Added, cache.Add(received));
        Assert.True(RtpPacketReader.TryRead(received.Span, out RtpPacketReader reader));
        KeyframeStatus status = VideoPayload.GetKeyframeStatus(VideoCodec.Vp8, reader.Payload);
        if (status == KeyframeStatus.KeyframeStart)
        {
            coalescer.OnKeyframeReceived();
        }

        foreach (Subscriber subscriber in subscribers)
        {
            KeyframeGateResult decision = subscriber.Gate.Process(status, received.Timestamp);
            if (decision == KeyframeGateResult.DropAndRequestKeyframe)
            {
                coalescer.OnRequest(KeyframeRequestKind.Pli, received.Timestamp);
            }

            if (decision == KeyframeGateResult.Forward)
            {
                subscriber.Send(pool, received);
            }
        }

        received.Release();
    }

    private sealed class Subscriber(TimeProvider time, uint ssrc, Random random)
    {
        public OutboundSequencer Sequencer { get; } = new(time, ssrc, 100, 90000, random);

        public KeyframeGate Gate { get; } = new(time);

        public RetransmissionLimiter Limiter { get; } = new(time);

        public Dictionary<ushort, byte[]> Sent { get; } = [];

        public ushort FirstSequence { get; private set; }

        public void Send(PacketBufferPool pool, PacketLease received)
        {
            // Each subscriber gets its own copy: SRTP will encrypt it in place.
            PacketLease outgoing = pool.Rent();
            received.Span.CopyTo(outgoing.Buffer);
            outgoing.SetLength(received.Length);
            bool first = !Sequencer.HasStarted;
            Assert.True(Sequencer.TryRewrite(outgoing.Span, received.Timestamp));
            ushort sequenceNumber = TestRtp.SequenceOf(outgoing);
            if (first)
            {
                FirstSequence = sequenceNumber;
            }

            Sent[sequenceNumber] = outgoing.Span.ToArray();
            outgoing.Release();
        }

        public bool TryAnswerNack(PacketBufferPool pool, PacketCache cache, ushort subscriberSequence, long now, out byte[]? resent)
        {
            resent = null;
            if (!Sequencer.TryGetPublisherSequenceNumber(subscriberSequence, out ushort publisherSequence)
                || !Limiter.TryAcquire(subscriberSequence, now)
                || !cache.TryGet(publisherSequence, out PacketLease? cached))
            {
                return false;
            }

            PacketLease outgoing = pool.Rent();
            cached.Span.CopyTo(outgoing.Buffer);
            outgoing.SetLength(cached.Length);
            bool rewritten = Sequencer.TryRewriteRetransmission(outgoing.Span);
            if (rewritten)
            {
                resent = outgoing.Span.ToArray();
            }

            outgoing.Release();
            return rewritten;
        }
    }
}
