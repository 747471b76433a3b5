using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class TransportCcFeedbackTests
{
    private const long Unit = TransportCcFeedback.ReferenceTimeUnitMicroseconds;

    [Fact]
    public void TryRead_DecodesChromeRunLengthFeedback()
    {
        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(RtcpSamples.ChromeTransportCcRunLength), out TransportCcFeedback feedback));

        Assert.Equal(0xfa17fa17u, feedback.SenderSsrc);
        Assert.Equal(0x193dd8bbu, feedback.MediaSsrc);
        Assert.Equal(4, feedback.BaseSequenceNumber);
        Assert.Equal(7, feedback.PacketStatusCount);
        Assert.Equal(7, feedback.ReceivedCount);
        Assert.Equal(1074030, feedback.ReferenceTime);
        Assert.Equal(1074030 * Unit, feedback.ReferenceTimeMicroseconds);
        Assert.Equal(1, feedback.FeedbackPacketCount);

        long reference = 1074030 * Unit;
        Assert.Equal(
            [
                new TransportCcPacket(4, TransportCcStatus.ReceivedSmallDelta, 76, reference + 19000),
                new TransportCcPacket(5, TransportCcStatus.ReceivedSmallDelta, 36, reference + 28000),
                new TransportCcPacket(6, TransportCcStatus.ReceivedSmallDelta, 36, reference + 37000),
                new TransportCcPacket(7, TransportCcStatus.ReceivedSmallDelta, 16, reference + 41000),
                new TransportCcPacket(8, TransportCcStatus.ReceivedSmallDelta, 12, reference + 44000),
                new TransportCcPacket(9, TransportCcStatus.ReceivedSmallDelta, 12, reference + 47000),
                new TransportCcPacket(10, TransportCcStatus.ReceivedSmallDelta, 16, reference + 51000),
            ],
            Packets(feedback));
    }

    [Fact]
    public void TryRead_DecodesChromeTwoBitVectorWithLargeDelta()
    {
        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(RtcpSamples.ChromeTransportCcTwoBitVector), out TransportCcFeedback feedback));

        Assert.Equal(34108, feedback.BaseSequenceNumber);
        Assert.Equal(9, feedback.PacketStatusCount);
        Assert.Equal(6, feedback.ReceivedCount);
        Assert.Equal(179, feedback.FeedbackPacketCount);
        long reference = 6551830 * Unit;
        Assert.Equal(
            [
                new TransportCcPacket(34108, TransportCcStatus.ReceivedSmallDelta, 155, reference + 38750),
                new TransportCcPacket(34109, TransportCcStatus.ReceivedSmallDelta, 170, reference + 81250),
                new TransportCcPacket(34110, TransportCcStatus.ReceivedSmallDelta, 106, reference + 107750),
                new TransportCcPacket(34111, TransportCcStatus.ReceivedSmallDelta, 170, reference + 150250),
                new TransportCcPacket(34112, TransportCcStatus.ReceivedSmallDelta, 123, reference + 181000),
                new TransportCcPacket(34113, TransportCcStatus.NotReceived, 0, 0),
                new TransportCcPacket(34114, TransportCcStatus.ReceivedLargeDelta, 265, reference + 247250),
                new TransportCcPacket(34115, TransportCcStatus.NotReceived, 0, 0),
                new TransportCcPacket(34116, TransportCcStatus.NotReceived, 0, 0),
            ],
            Packets(feedback));
    }

    [Fact]
    public void TryRead_DecodesOneBitVector()
    {
        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(RtcpSamples.TransportCcOneBitVector), out TransportCcFeedback feedback));

        List<TransportCcPacket> packets = Packets(feedback);
        Assert.Equal(14, packets.Count);
        Assert.Equal([1, 2, 3, 5], packets.Where(p => p.IsReceived).Select(p => (int)p.SequenceNumber));
        Assert.Equal([4000L, 7000, 10000, 14000], packets.Where(p => p.IsReceived).Select(p => p.ArrivalTimeMicroseconds - (1074029 * Unit)));
    }

    [Fact]
    public void TryRead_DecodesTheDraftsChunkExamples()
    {
        // Section 3.1.3 example 1 (221 not received) then section 3.1.4 example 1 (a 1-bit vector).
        byte[] packet = RtcpSamples.Hex(
            "8f cd 0007", "00000001", "00000002", "0000 00eb", "000010 05", "00dd 9f1c", "01 02 03 04", "05 06 07 08");

        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(packet), out TransportCcFeedback feedback));

        List<TransportCcPacket> packets = Packets(feedback);
        Assert.Equal(235, packets.Count);
        Assert.All(packets.Take(221), p => Assert.Equal(TransportCcStatus.NotReceived, p.Status));
        Assert.Equal([222, 223, 224, 225, 226, 230, 231, 232], packets.Where(p => p.IsReceived).Select(p => (int)p.SequenceNumber));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], packets.Where(p => p.IsReceived).Select(p => p.ReceiveDeltaTicks));
        Assert.Equal((16 * Unit) + (36 * 250), packets.Last(p => p.IsReceived).ArrivalTimeMicroseconds);
    }

    [Fact]
    public void ReferenceTime_IsSigned24Bit()
    {
        byte[] packet = RtcpSamples.Hex("8f cd 0005", "00000001", "00000002", "0000 0001", "ffffff 00", "2001 04 00");

        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(packet), out TransportCcFeedback feedback));

        Assert.Equal(-1, feedback.ReferenceTime);
        Assert.Equal(-Unit + 1000, Packets(feedback)[0].ArrivalTimeMicroseconds);
    }

    [Fact]
    public void Writer_ReproducesChromeRunLengthFeedbackWithZeroPadding()
    {
        long reference = 1074030 * Unit;
        TransportCcArrival[] arrivals = [.. new long[] { 19000, 28000, 37000, 41000, 44000, 47000, 51000 }
            .Select((t, i) => new TransportCcArrival((ushort)(4 + i), true, reference + t))];

        byte[] written = RtcpSamples.Serialize(new TransportCcFeedbackWriter(0xfa17fa17, 0x193dd8bb, 1, arrivals));

        // Chrome pads with the P bit and a count; the writer pads with zeros, per the draft's diagram.
        byte[] expected = (byte[])RtcpSamples.ChromeTransportCcRunLength.Clone();
        expected[0] &= 0xDF;
        expected[^1] = 0;
        Assert.Equal(expected, written);
    }

    [Fact]
    public void Writer_UsesTwoBitVectorForLargeDeltas()
    {
        long reference = 6551830 * Unit;
        TransportCcArrival[] arrivals =
        [
            new(34108, true, reference + 38750),
            new(34109, true, reference + 81250),
            new(34110, true, reference + 107750),
            new(34111, true, reference + 150250),
            new(34112, true, reference + 181000),
            new(34114, true, reference + 247250),
            new(34116, false, 0),
        ];

        var writer = new TransportCcFeedbackWriter(0x9b74f61f, 0x9371dcbc, 179, arrivals);
        byte[] written = RtcpSamples.Serialize(writer);

        Assert.Equal(9, writer.PacketStatusCount);
        Assert.Equal(6551830, writer.ReferenceTime);
        Assert.Equal(
            RtcpSamples.Hex("8f cd 0007", "9b74f61f", "9371dcbc", "853c 0009", "63f916 b3", "d552 0002", "9b aa 6a aa", "7b 0109 00"),
            written);
    }

    [Fact]
    public void Writer_UsesOneBitVectorForMixedSmallDeltas()
    {
        long reference = 1074029 * Unit;
        TransportCcArrival[] arrivals =
        [
            new(1, true, reference + 4000),
            new(2, true, reference + 7000),
            new(3, true, reference + 10000),
            new(5, true, reference + 14000),
            new(14, false, 0),
        ];

        byte[] written = RtcpSamples.Serialize(new TransportCcFeedbackWriter(0xfa17fa17, 0x193dd8bb, 0, arrivals));

        Assert.Equal(RtcpSamples.Hex("8f cd 0006", "fa17fa17", "193dd8bb", "0001 000e", "10636d 00", "ba00 10 0c", "0c 10 00 00"), written);
    }

    [Fact]
    public void Writer_SplitsRunsLongerThan8191()
    {
        TransportCcArrival[] arrivals = [.. Enumerable.Range(0, 20000).Select(i => new TransportCcArrival((ushort)i, true, 1000L * i))];

        byte[] written = RtcpSamples.Serialize(new TransportCcFeedbackWriter(1, 2, 0, arrivals));

        Assert.Equal(RtcpSamples.Hex("3fff 3fff 2e22"), written.AsSpan(20, 6).ToArray());
        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(written), out TransportCcFeedback feedback));
        Assert.Equal(20000, feedback.ReceivedCount);
        Assert.Equal(19999L * 1000, Packets(feedback)[^1].ArrivalTimeMicroseconds);
    }

    [Fact]
    public void Writer_EncodesNegativeAndLongGapsAsLargeDeltas()
    {
        const long Start = 1_000_000_000;
        TransportCcArrival[] arrivals =
        [
            new(65534, true, Start),
            new(65535, true, Start + 100_000),
            new(0, true, Start + 50_000),
            new(3, true, Start + 8_000_000),
            new(4, true, Start + 8_000_250),
            new(5, true, Start + 7_999_000),
        ];

        byte[] written = RtcpSamples.Serialize(new TransportCcFeedbackWriter(1, 2, 0, arrivals));

        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(written), out TransportCcFeedback feedback));
        List<TransportCcPacket> packets = Packets(feedback);
        Assert.Equal([65534, 65535, 0, 1, 2, 3, 4, 5], packets.Select(p => (int)p.SequenceNumber));
        Assert.Equal(
            [
                TransportCcStatus.ReceivedSmallDelta, TransportCcStatus.ReceivedLargeDelta, TransportCcStatus.ReceivedLargeDelta,
                TransportCcStatus.NotReceived, TransportCcStatus.NotReceived,
                TransportCcStatus.ReceivedLargeDelta, TransportCcStatus.ReceivedSmallDelta, TransportCcStatus.ReceivedLargeDelta,
            ],
            packets.Select(p => p.Status));
        Assert.Equal([0, 400, -200, 0, 0, 31800, 1, -5], packets.Select(p => p.ReceiveDeltaTicks));
        Assert.Equal(
            [Start, Start + 100_000, Start + 50_000, Start + 8_000_000, Start + 8_000_250, Start + 7_999_000],
            packets.Where(p => p.IsReceived).Select(p => p.ArrivalTimeMicroseconds));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RoundTrip_RandomFeedback_KeepsStatusAndArrivalWithinHalfATick(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 100; round++)
        {
            var arrivals = new List<TransportCcArrival>();
            ushort sequenceNumber = (ushort)random.Next(65536);
            long time = 5_000_000_000L + random.Next(1_000_000);
            int count = random.Next(1, 400);
            for (int i = 0; i < count; i++)
            {
                // Mostly small steps, some long gaps and reorders, some losses and missing entries.
                int kind = random.Next(20);
                time += kind switch { 0 => random.Next(70_000, 2_000_000), 1 => -random.Next(1, 60_000), _ => random.Next(0, 20_000) };
                arrivals.Add(new TransportCcArrival(sequenceNumber, random.Next(4) != 0, time));
                sequenceNumber += (ushort)(random.Next(8) == 0 ? random.Next(2, 30) : 1);
            }

            var writer = new TransportCcFeedbackWriter(7, 8, (byte)round, arrivals.ToArray());
            byte[] written = RtcpSamples.Serialize(writer);

            Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(written), out TransportCcFeedback feedback));
            Assert.Equal((byte)round, feedback.FeedbackPacketCount);
            Assert.Equal(arrivals[0].SequenceNumber, feedback.BaseSequenceNumber);
            Assert.Equal(writer.PacketStatusCount, feedback.PacketStatusCount);
            Dictionary<ushort, TransportCcArrival> expected = arrivals.ToDictionary(a => a.SequenceNumber);
            foreach (TransportCcPacket packet in Packets(feedback))
            {
                bool received = expected.TryGetValue(packet.SequenceNumber, out TransportCcArrival arrival) && arrival.IsReceived;
                Assert.Equal(received, packet.IsReceived);
                if (received)
                {
                    Assert.InRange(packet.ArrivalTimeMicroseconds - arrival.ArrivalTimeMicroseconds, -125, 125);
                }
            }
        }
    }

    [Fact]
    public void GetEncodableCount_StopsBeforeADeltaBeyond16Bits()
    {
        TransportCcArrival[] arrivals =
        [
            new(10, true, 1_000_000),
            new(11, true, 1_010_000),
            new(12, true, 9_300_000),
            new(13, true, 9_310_000),
        ];

        Assert.Equal(2, TransportCcFeedbackWriter.GetEncodableCount(arrivals));
        Assert.Equal(2, TransportCcFeedbackWriter.GetEncodableCount(arrivals.AsSpan(2)));
        Assert.Throws<ArgumentException>(() => new TransportCcFeedbackWriter(1, 2, 0, arrivals));
    }

    [Fact]
    public void GetEncodableCount_StopsAtOutOfOrderOrRepeatedSequenceNumbers()
    {
        Assert.Equal(2, TransportCcFeedbackWriter.GetEncodableCount([new(5, true, 0), new(6, true, 0), new(6, true, 0)]));
        Assert.Equal(2, TransportCcFeedbackWriter.GetEncodableCount([new(5, true, 0), new(6, true, 0), new(4, true, 0)]));
        Assert.Equal(3, TransportCcFeedbackWriter.GetEncodableCount([new(65535, true, 0), new(0, true, 0), new(1, true, 0)]));
        Assert.Equal(0, TransportCcFeedbackWriter.GetEncodableCount([]));
    }

    [Fact]
    public void Writer_WithNothingReceived_WritesZeroReferenceAndNoDeltas()
    {
        byte[] written = RtcpSamples.Serialize(new TransportCcFeedbackWriter(1, 2, 3, [new(100, false, 0), new(102, false, 0)]));

        Assert.Equal(RtcpSamples.Hex("8f cd 0005", "00000001", "00000002", "0064 0003", "000000 03", "0003 0000"), written);
    }

    [Theory]
    [InlineData("8f cd 0005", "00000001", "00000002", "0000 0000", "000000 00", "2001 01 00")]
    [InlineData("8f cd 0005", "00000001", "00000002", "0000 0001", "000000 00", "6001 00 00")]
    [InlineData("8f cd 0005", "00000001", "00000002", "0000 0002", "000000 00", "f000 00 00")]
    [InlineData("8f cd 0005", "00000001", "00000002", "0000 0002", "000000 00", "4002 0000")]
    [InlineData("8f cd 0004", "00000001", "00000002", "0000 0009", "000000 00")]
    [InlineData("8f cd 0005", "00000001", "00000002", "0000 000f", "000000 00", "2007 0000")]
    [InlineData("8f cd 0006", "00000001", "00000002", "0000 0001", "000000 00", "2001 01 00", "00000000")]
    public void TryRead_RejectsInconsistentFeedback(params string[] hex)
    {
        // Status count 0; run length of the reserved symbol; a 2-bit vector with the reserved symbol;
        // deltas running past the end; no chunk at all; chunks short of the status count; a word left over.
        Assert.False(TransportCcFeedback.TryRead(RtcpSamples.Single(RtcpSamples.Hex(hex)), out _));
    }

    [Fact]
    public void TryRead_IgnoresReservedSymbolsBeyondTheStatusCount()
    {
        // The 2-bit vector's third symbol is 3, but the count stops after two.
        byte[] packet = RtcpSamples.Hex("8f cd 0005", "00000001", "00000002", "0000 0002", "000000 00", "d700 01 02");

        Assert.True(TransportCcFeedback.TryRead(RtcpSamples.Single(packet), out TransportCcFeedback feedback));
        Assert.Equal([TransportCcStatus.ReceivedSmallDelta, TransportCcStatus.ReceivedSmallDelta], Packets(feedback).Select(p => p.Status));
    }

    [Fact]
    public void ParseAndWrite_DoNotAllocate()
    {
        byte[] feedback = RtcpSamples.ChromeTransportCcTwoBitVector;
        TransportCcArrival[] arrivals = [.. Enumerable.Range(0, 100).Select(i => new TransportCcArrival((ushort)(65500 + i), i % 9 != 0, 10_000_000 + (i * 3_000) - (i % 5 * 400)))];
        byte[] buffer = new byte[1500];
        long sum = Run(feedback, arrivals, buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2_000; i++)
        {
            sum += Run(feedback, arrivals, buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sum);

        static long Run(ReadOnlySpan<byte> feedback, ReadOnlySpan<TransportCcArrival> arrivals, Span<byte> buffer)
        {
            long sum = 0;
            RtcpPacket.TryRead(feedback, out RtcpPacket packet);
            if (TransportCcFeedback.TryRead(packet, out TransportCcFeedback read))
            {
                foreach (TransportCcPacket status in read.Packets)
                {
                    sum += status.ArrivalTimeMicroseconds;
                }
            }

            new TransportCcFeedbackWriter(1, 2, 3, arrivals).TryWrite(buffer, out int written);
            return sum + written;
        }
    }

    private static List<TransportCcPacket> Packets(TransportCcFeedback feedback)
    {
        var packets = new List<TransportCcPacket>();
        foreach (TransportCcPacket packet in feedback.Packets)
        {
            packets.Add(packet);
        }

        return packets;
    }
}
