using Relay.Protocols.Rtp;

namespace Relay.Media.Tests;

public class OutboundSequencerTests
{
    private const uint SubscriberSsrc = 0xCAFEF00D;
    private const byte SubscriberPayloadType = 100;
    private const uint PublisherSsrc = 0x11111111;
    private const uint ReconnectedSsrc = 0x22222222;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void FirstPacket_GetsTheSubscribersBaseAndItsSsrcAndPayloadType()
    {
        OutboundSequencer sequencer = Create(initialSequence: 7000, initialTimestamp: 1_000_000);
        byte[] packet = TestRtp.Packet(41000, timestamp: 123456, ssrc: PublisherSsrc, payloadType: 96, marker: true, extraBytes: 1200);
        byte[] original = (byte[])packet.Clone();

        Assert.True(sequencer.TryRewrite(packet, _time.Now));

        RtpHeader header = TestRtp.Header(packet);
        Assert.Equal(7000, header.SequenceNumber);
        Assert.Equal(1_000_000u, header.Timestamp);
        Assert.Equal(SubscriberSsrc, header.Ssrc);
        Assert.Equal(SubscriberPayloadType, header.PayloadType);
        Assert.True(header.Marker);
        Assert.True(packet.AsSpan(12).SequenceEqual(original.AsSpan(12)), "only the fixed header may change");
        Assert.True(sequencer.HasStarted);
        Assert.Equal(7000, sequencer.HighestSequenceNumber);
    }

    [Fact]
    public void WithinASource_GapsReorderingAndTimestampsKeepTheirShape()
    {
        OutboundSequencer sequencer = Create(initialSequence: 65534, initialTimestamp: uint.MaxValue - 2999);
        (ushort Sequence, uint Timestamp)[] input = [(100, 9000), (101, 9000), (103, 12000), (102, 9000), (104, 12000), (110, 15000)];
        var output = new List<(ushort, uint)>();
        foreach ((ushort sequence, uint timestamp) in input)
        {
            Assert.True(Map(sequencer, sequence, timestamp, PublisherSsrc, _time.Now, out OutboundRtpHeader mapped));
            output.Add((mapped.SequenceNumber, mapped.Timestamp));
        }

        Assert.Equal(
            [(65534, uint.MaxValue - 2999), (65535, uint.MaxValue - 2999), (1, 0u), (0, uint.MaxValue - 2999), (2, 0u), (8, 3000u)],
            output);
        Assert.Equal(8, sequencer.HighestSequenceNumber);
        Assert.Equal(3000u, sequencer.LastTimestamp);
    }

    [Fact]
    public void PacketsOlderThanTheSubscribersFirst_AreDropped()
    {
        OutboundSequencer sequencer = Create(initialSequence: 10);
        Assert.True(Map(sequencer, 500, 0, PublisherSsrc, _time.Now, out _));
        Assert.False(Map(sequencer, 499, 0, PublisherSsrc, _time.Now, out _));
        Assert.False(Map(sequencer, 400, 0, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 501, 0, PublisherSsrc, _time.Now, out OutboundRtpHeader next));
        Assert.Equal(11, next.SequenceNumber);
        Assert.Equal(2, sequencer.DroppedPackets);
    }

    [Fact]
    public void PublisherReconnect_ContinuesTheSequenceAndAdvancesTimeByTheWallClockGap()
    {
        OutboundSequencer sequencer = Create(initialSequence: 1000, initialTimestamp: 50_000);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(Map(sequencer, (ushort)(65530 + i), (uint)(7_000_000 + (i * 3000)), PublisherSsrc, _time.Now, out _));
            _time.Advance(TimeSpan.FromMilliseconds(33));
        }

        Assert.Equal(1009, sequencer.HighestSequenceNumber);
        uint lastTimestamp = sequencer.LastTimestamp;
        Assert.Equal(50_000u + (9 * 3000), lastTimestamp);

        // The last packet arrived 33 ms ago; the reconnected publisher's first arrives 2 s after that.
        _time.Advance(TimeSpan.FromMilliseconds(1967));
        Assert.True(Map(sequencer, 12, 4_000_000_000, ReconnectedSsrc, _time.Now, out OutboundRtpHeader first));
        Assert.Equal(1010, first.SequenceNumber);
        Assert.Equal(lastTimestamp + (2 * 90000), first.Timestamp);
        Assert.Equal(SubscriberSsrc, first.Ssrc);

        Assert.True(Map(sequencer, 13, 4_000_003_000, ReconnectedSsrc, _time.Now, out OutboundRtpHeader second));
        Assert.Equal(1011, second.SequenceNumber);
        Assert.Equal(first.Timestamp + 3000, second.Timestamp);
    }

    [Fact]
    public void AfterASwitch_PacketsOlderThanIt_AndLatePacketsOfTheOldSource_AreDropped()
    {
        OutboundSequencer sequencer = Create(initialSequence: 0);
        Assert.True(Map(sequencer, 100, 0, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 101, 0, PublisherSsrc, _time.Now, out _));

        Assert.True(Map(sequencer, 5000, 0, ReconnectedSsrc, _time.Now, out OutboundRtpHeader first));
        Assert.Equal(2, first.SequenceNumber);

        Assert.False(Map(sequencer, 102, 0, PublisherSsrc, _time.Now, out _));
        Assert.False(Map(sequencer, 4999, 0, ReconnectedSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 5001, 0, ReconnectedSsrc, _time.Now, out OutboundRtpHeader next));
        Assert.Equal(3, next.SequenceNumber);
        Assert.Equal(2, sequencer.DroppedPackets);
    }

    [Fact]
    public void SwitchSource_StartsANewSourceUnderTheSameSsrc()
    {
        OutboundSequencer sequencer = Create(initialSequence: 300, initialTimestamp: 0);
        Assert.True(Map(sequencer, 40000, 90000, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 40001, 93000, PublisherSsrc, _time.Now, out _));
        _time.Advance(TimeSpan.FromMilliseconds(500));

        // The publisher reconnected with the same SSRC but a new sequence and timestamp base.
        sequencer.SwitchSource();
        Assert.True(Map(sequencer, 7, 111, PublisherSsrc, _time.Now, out OutboundRtpHeader first));
        Assert.Equal(302, first.SequenceNumber);
        Assert.Equal(3000u + 45000, first.Timestamp);
        Assert.True(Map(sequencer, 8, 3111, PublisherSsrc, _time.Now, out OutboundRtpHeader second));
        Assert.Equal(303, second.SequenceNumber);
        Assert.Equal(first.Timestamp + 3000, second.Timestamp);
    }

    [Fact]
    public void SwitchWithNoTimeElapsed_StillMovesTheTimestampOn()
    {
        OutboundSequencer sequencer = Create(initialSequence: 1, initialTimestamp: 77);
        Assert.True(Map(sequencer, 1, 5, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 9, 5, ReconnectedSsrc, _time.Now, out OutboundRtpHeader first));
        Assert.Equal(78u, first.Timestamp);
    }

    [Fact]
    public void RandomBase_KeepsTheSequenceInTheLowerHalfAndIsSeedDetermined()
    {
        var a = new OutboundSequencer(_time, SubscriberSsrc, SubscriberPayloadType, 90000, new Random(42));
        var b = new OutboundSequencer(_time, SubscriberSsrc, SubscriberPayloadType, 90000, new Random(42));
        Assert.True(Map(a, 5, 5, PublisherSsrc, _time.Now, out OutboundRtpHeader fromA));
        Assert.True(Map(b, 5, 5, PublisherSsrc, _time.Now, out OutboundRtpHeader fromB));
        Assert.Equal(fromA.SequenceNumber, fromB.SequenceNumber);
        Assert.Equal(fromA.Timestamp, fromB.Timestamp);

        for (int seed = 0; seed < 200; seed++)
        {
            var sequencer = new OutboundSequencer(_time, SubscriberSsrc, SubscriberPayloadType, 90000, new Random(seed));
            Assert.True(Map(sequencer, 5, 5, PublisherSsrc, _time.Now, out OutboundRtpHeader mapped));
            Assert.InRange(mapped.SequenceNumber, 0, 0x7FFF);
        }
    }

    [Fact]
    public void SubscriberNack_TranslatesBackToThePublishersNumber()
    {
        OutboundSequencer sequencer = Create(initialSequence: 65530);
        for (ushort sequence = 200; sequence < 220; sequence++)
        {
            if (sequence != 205)
            {
                Assert.True(Map(sequencer, sequence, 0, PublisherSsrc, _time.Now, out _));
            }
        }

        Assert.True(sequencer.TryGetPublisherSequenceNumber(65530, out ushort publisher));
        Assert.Equal(200, publisher);
        Assert.True(sequencer.TryGetPublisherSequenceNumber(3, out publisher));
        Assert.Equal(209, publisher);

        // 205 was never forwarded (lost upstream), 220 not yet: nothing to look up.
        Assert.False(sequencer.TryGetPublisherSequenceNumber(65535, out _));
        Assert.False(sequencer.TryGetPublisherSequenceNumber(14, out _));
        Assert.False(sequencer.TryGetPublisherSequenceNumber(40000, out _));
    }

    [Fact]
    public void NacksForPacketsOfThePreviousSource_DoNotTranslate()
    {
        OutboundSequencer sequencer = Create(initialSequence: 0);
        Assert.True(Map(sequencer, 100, 0, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 101, 0, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 9, 0, ReconnectedSsrc, _time.Now, out _));

        Assert.False(sequencer.TryGetPublisherSequenceNumber(0, out _));
        Assert.False(sequencer.TryGetPublisherSequenceNumber(1, out _));
        Assert.True(sequencer.TryGetPublisherSequenceNumber(2, out ushort publisher));
        Assert.Equal(9, publisher);
    }

    [Fact]
    public void MappingRing_ForgetsPacketsOlderThanItsCapacity()
    {
        OutboundSequencer sequencer = Create(initialSequence: 0, mappingCapacity: 16);
        for (ushort sequence = 0; sequence < 40; sequence++)
        {
            Assert.True(Map(sequencer, sequence, 0, PublisherSsrc, _time.Now, out _));
        }

        Assert.False(sequencer.TryGetPublisherSequenceNumber(23, out _));
        Assert.True(sequencer.TryGetPublisherSequenceNumber(24, out ushort publisher));
        Assert.Equal(24, publisher);
    }

    [Fact]
    public void Retransmission_GetsTheHeaderTheSubscriberSawTheFirstTime()
    {
        OutboundSequencer sequencer = Create(initialSequence: 9000, initialTimestamp: 100);
        byte[] cached = TestRtp.Packet(777, timestamp: 40_000, ssrc: PublisherSsrc, payloadType: 96, marker: true, extraBytes: 100);
        byte[] firstSend = (byte[])cached.Clone();
        Assert.True(Map(sequencer, 776, 40_000, PublisherSsrc, _time.Now, out _));
        Assert.True(sequencer.TryRewrite(firstSend, _time.Now));
        for (ushort sequence = 778; sequence < 800; sequence++)
        {
            Assert.True(Map(sequencer, sequence, 43_000, PublisherSsrc, _time.Now, out _));
        }

        Assert.True(sequencer.TryGetPublisherSequenceNumber(9001, out ushort publisher));
        Assert.Equal(777, publisher);
        byte[] resend = (byte[])cached.Clone();
        Assert.True(sequencer.TryRewriteRetransmission(resend));
        Assert.Equal(firstSend, resend);
    }

    [Fact]
    public void Retransmission_IsRefusedForPacketsNeverForwardedToThisSubscriber()
    {
        OutboundSequencer sequencer = Create(initialSequence: 0);
        Assert.True(Map(sequencer, 50, 0, PublisherSsrc, _time.Now, out _));
        Assert.True(Map(sequencer, 52, 0, PublisherSsrc, _time.Now, out _));

        byte[] beforeJoin = TestRtp.Packet(49, ssrc: PublisherSsrc);
        byte[] lostUpstream = TestRtp.Packet(51, ssrc: PublisherSsrc);
        byte[] notYetSent = TestRtp.Packet(53, ssrc: PublisherSsrc);
        byte[] otherSource = TestRtp.Packet(50, ssrc: ReconnectedSsrc);
        foreach (byte[] packet in new[] { beforeJoin, lostUpstream, notYetSent, otherSource })
        {
            byte[] before = (byte[])packet.Clone();
            Assert.False(sequencer.TryRewriteRetransmission(packet));
            Assert.Equal(before, packet);
        }

        Assert.False(sequencer.TryRewriteRetransmission(new byte[5]));
    }

    [Fact]
    public void NotRtp_IsDroppedUnchanged()
    {
        OutboundSequencer sequencer = Create(initialSequence: 0);
        byte[] junk = [0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        Assert.False(sequencer.TryRewrite(junk, _time.Now));
        Assert.False(sequencer.HasStarted);
    }

    [Fact]
    public void LongRunningStream_KeepsMappingAcrossManySequenceWraps()
    {
        OutboundSequencer sequencer = Create(initialSequence: 12345, initialTimestamp: 0);
        ushort publisher = 65000;
        ushort expected = 12345;
        for (int i = 0; i < 200_000; i++)
        {
            Assert.True(Map(sequencer, publisher, (uint)i * 3000, PublisherSsrc, _time.Now, out OutboundRtpHeader mapped));
            Assert.Equal(expected, mapped.SequenceNumber);
            publisher++;
            expected++;
        }

        Assert.True(sequencer.TryGetPublisherSequenceNumber((ushort)(expected - 1), out ushort back));
        Assert.Equal((ushort)(publisher - 1), back);
    }

    [Fact]
    public void BadConfiguration_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutboundSequencer(_time, 1, 128, 90000, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutboundSequencer(_time, 1, 96, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutboundSequencer(_time, 1, 96, 90000, 0, 0, mappingCapacity: 100));
        Assert.Throws<ArgumentNullException>(() => new OutboundSequencer(_time, 1, 96, 90000, (Random)null!));
    }

    private OutboundSequencer Create(ushort initialSequence, uint initialTimestamp = 0, int mappingCapacity = OutboundSequencer.DefaultMappingCapacity) =>
        new(_time, SubscriberSsrc, SubscriberPayloadType, 90000, initialSequence, initialTimestamp, mappingCapacity);

    private static bool Map(OutboundSequencer sequencer, ushort sequence, uint timestamp, uint ssrc, long arrival, out OutboundRtpHeader mapped)
    {
        byte[] packet = TestRtp.Packet(sequence, timestamp, ssrc);
        return sequencer.TryMap(TestRtp.Header(packet), arrival, out mapped);
    }
}
