using System.Text;
using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class RtcpCompoundEnumeratorTests
{
    [Fact]
    public void FirefoxCompound_YieldsReceiverReportThenCname()
    {
        var packets = new RtcpCompoundEnumerator(RtcpSamples.FirefoxReceiverReportAndCname, requireReport: true);

        Assert.True(packets.MoveNext());
        Assert.Equal(RtcpPacketType.ReceiverReport, packets.Current.Type);
        Assert.True(ReceiverReport.TryRead(packets.Current, out ReceiverReport rr));
        Assert.Equal(0x902f9e2eu, rr.Ssrc);
        Assert.Equal(1, rr.ReportCount);
        ReportBlock block = rr.GetReportBlock(0);
        Assert.Equal(new ReportBlock(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x09f36432, 150137), block);
        Assert.True(rr.ProfileExtensions.IsEmpty);

        Assert.True(packets.MoveNext());
        Assert.Equal(RtcpPacketType.SourceDescription, packets.Current.Type);
        Assert.True(SourceDescription.TryRead(packets.Current, out SourceDescription sdes));
        SourceDescriptionChunkEnumerator chunks = sdes.Chunks;
        Assert.True(chunks.MoveNext());
        Assert.Equal(0x902f9e2eu, chunks.Current.Ssrc);
        Assert.True(chunks.Current.TryGetItem(SdesItemType.Cname, out ReadOnlySpan<byte> cname));
        Assert.Equal(RtcpSamples.FirefoxCname, Encoding.ASCII.GetString(cname));
        Assert.False(chunks.MoveNext());

        Assert.False(packets.MoveNext());
        Assert.False(packets.IsMalformed);
        Assert.Equal(RtcpParseError.None, packets.Error);
        Assert.Equal(2, packets.PacketCount);
    }

    [Fact]
    public void ChromeStyleCompound_WalksReceiverReportCnameAndRemb()
    {
        var packets = new RtcpCompoundEnumerator(RtcpSamples.ChromeStyleReceiverReportCnameRemb);
        var types = new List<RtcpPacketType>();
        int blocks = 0;
        ulong bitrate = 0;
        while (packets.MoveNext())
        {
            types.Add(packets.Current.Type);
            if (ReceiverReport.TryRead(packets.Current, out ReceiverReport rr))
            {
                foreach (ReportBlock block in rr.ReportBlocks)
                {
                    Assert.Equal(0x02d03702u, block.Ssrc);
                    Assert.Equal(5, block.FractionLost);
                    Assert.Equal(3, block.CumulativeLost);
                    blocks++;
                }
            }

            if (Remb.TryRead(packets.Current, out Remb remb))
            {
                bitrate = remb.Bitrate;
            }
        }

        Assert.Equal([RtcpPacketType.ReceiverReport, RtcpPacketType.SourceDescription, RtcpPacketType.PayloadSpecificFeedback], types);
        Assert.Equal(1, blocks);
        Assert.Equal(122754ul, bitrate);
        Assert.False(packets.IsMalformed);
    }

    [Fact]
    public void ReducedSizeFeedbackAlone_IsAcceptedByDefault()
    {
        var packets = new RtcpCompoundEnumerator(RtcpSamples.Pli);

        Assert.True(packets.MoveNext());
        Assert.True(PictureLossIndication.TryRead(packets.Current, out _));
        Assert.False(packets.MoveNext());
        Assert.False(packets.IsMalformed);
    }

    [Fact]
    public void RequireReport_RejectsCompoundThatDoesNotStartWithSrOrRr()
    {
        Assert.Equal(RtcpParseError.MissingReport, RtcpCompoundEnumerator.Validate(RtcpSamples.Pli, requireReport: true));
        Assert.Equal(RtcpParseError.None, RtcpCompoundEnumerator.Validate(RtcpSamples.SenderReportNoBlocks, requireReport: true));
    }

    [Fact]
    public void EmptyDatagram_IsMalformed()
    {
        var packets = new RtcpCompoundEnumerator([]);

        Assert.False(packets.MoveNext());
        Assert.True(packets.IsMalformed);
        Assert.Equal(RtcpParseError.Empty, packets.Error);
    }

    [Theory]
    [InlineData("41 c9 0001 00000001", RtcpParseError.InvalidVersion)]
    [InlineData("c1 c9 0001 00000001", RtcpParseError.InvalidVersion)]
    [InlineData("80 bf 0001 00000001", RtcpParseError.InvalidPacketType)]
    [InlineData("80 e0 0001 00000001", RtcpParseError.InvalidPacketType)]
    [InlineData("80 c9 0002 00000001", RtcpParseError.Truncated)]
    [InlineData("80 c9", RtcpParseError.Truncated)]
    [InlineData("a0 c9 0001 00000000", RtcpParseError.InvalidPadding)]
    [InlineData("a0 c9 0001 00000005", RtcpParseError.InvalidPadding)]
    [InlineData("81 c9 0001 00000001", RtcpParseError.InvalidLength)]
    [InlineData("80 c9 0000", RtcpParseError.InvalidLength)]
    [InlineData("80 c8 0001 00000001", RtcpParseError.InvalidLength)]
    [InlineData("81 ca 0001 00000001", RtcpParseError.InvalidLength)]
    [InlineData("82 cb 0001 00000001", RtcpParseError.InvalidLength)]
    [InlineData("80 cc 0001 00000001", RtcpParseError.InvalidLength)]
    [InlineData("81 cd 0001 00000001", RtcpParseError.InvalidLength)]
    [InlineData("81 ce 0001 00000001", RtcpParseError.InvalidLength)]
    public void MalformedHeader_StopsWithReason(string hex, RtcpParseError expected)
    {
        var packets = new RtcpCompoundEnumerator(RtcpSamples.Hex(hex));

        Assert.False(packets.MoveNext());
        Assert.True(packets.IsMalformed);
        Assert.Equal(expected, packets.Error);
    }

    [Fact]
    public void MalformedSecondPacket_HandsOutTheFirstThenReportsMalformed()
    {
        byte[] datagram = RtcpSamples.Concat(RtcpSamples.SenderReportNoBlocks, RtcpSamples.Hex("81 ca 0009"));
        var packets = new RtcpCompoundEnumerator(datagram);

        Assert.True(packets.MoveNext());
        Assert.Equal(RtcpPacketType.SenderReport, packets.Current.Type);
        Assert.False(packets.MoveNext());
        Assert.Equal(RtcpParseError.Truncated, packets.Error);
        Assert.False(packets.MoveNext());
        Assert.Equal(RtcpParseError.Truncated, packets.Error);
        Assert.Equal(RtcpParseError.Truncated, RtcpCompoundEnumerator.Validate(datagram));
    }

    [Fact]
    public void PaddedPacket_ExcludesPaddingFromPayload()
    {
        // An RR with no blocks and 4 bytes of padding: length 2 words after the header.
        byte[] datagram = RtcpSamples.Hex("a0 c9 0002", "11223344", "00000004");
        var packets = new RtcpCompoundEnumerator(datagram);

        Assert.True(packets.MoveNext());
        Assert.True(packets.Current.HasPadding);
        Assert.Equal(4, packets.Current.PaddingLength);
        Assert.Equal(4, packets.Current.Payload.Length);
        Assert.Equal(12, packets.Current.Data.Length);
        Assert.True(ReceiverReport.TryRead(packets.Current, out ReceiverReport rr));
        Assert.Equal(0x11223344u, rr.Ssrc);
    }

    [Fact]
    public void UnknownTypeInRtcpRange_IsHandedOutForTheCallerToSkip()
    {
        // An XR (207) then an RR: XR is not decoded but the walk continues past it.
        byte[] datagram = RtcpSamples.Concat(RtcpSamples.Hex("80 cf 0001", "11223344"), RtcpSamples.Hex("80 c9 0001", "11223344"));
        var packets = new RtcpCompoundEnumerator(datagram);

        Assert.True(packets.MoveNext());
        Assert.Equal(RtcpPacketType.ExtendedReport, packets.Current.Type);
        Assert.True(packets.MoveNext());
        Assert.Equal(RtcpPacketType.ReceiverReport, packets.Current.Type);
        Assert.False(packets.MoveNext());
        Assert.False(packets.IsMalformed);
    }

    [Fact]
    public void ParseReturnsMalformedForEveryTruncatedPrefixNotEndingOnAPacketBoundary()
    {
        foreach (byte[] sample in RtcpSamples.All)
        {
            var boundaries = new HashSet<int>();
            var whole = new RtcpCompoundEnumerator(sample);
            int offset = 0;
            while (whole.MoveNext())
            {
                offset += whole.Current.Data.Length;
                boundaries.Add(offset);
            }

            Assert.False(whole.IsMalformed);
            for (int length = 0; length < sample.Length; length++)
            {
                ReadOnlySpan<byte> prefix = sample.AsSpan(0, length);
                RtcpParseError error = RtcpCompoundEnumerator.Validate(prefix);
                if (length > 0 && boundaries.Contains(length))
                {
                    // A prefix that ends between packets is itself a valid, shorter compound.
                    Assert.Equal(RtcpParseError.None, error);
                }
                else
                {
                    Assert.NotEqual(RtcpParseError.None, error);
                }

                RtcpSamples.Exercise(prefix);
            }
        }
    }

    [Fact]
    public void PacketTryRead_ReturnsFalseForEveryTruncatedPrefixOfAPacket()
    {
        foreach (byte[] sample in RtcpSamples.All)
        {
            Assert.True(RtcpPacket.TryRead(sample, out RtcpPacket first));
            int length = first.Data.Length;
            for (int prefix = 0; prefix < length; prefix++)
            {
                Assert.False(RtcpPacket.TryRead(sample.AsSpan(0, prefix), out _));
            }
        }
    }

    [Fact]
    public void CompoundParse_DoesNotAllocate()
    {
        byte[] datagram = RtcpSamples.ChromeStyleReceiverReportCnameRemb;
        long sum = Walk(datagram);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            sum += Walk(datagram);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sum);

        static long Walk(ReadOnlySpan<byte> datagram)
        {
            long sum = 0;
            var packets = new RtcpCompoundEnumerator(datagram);
            while (packets.MoveNext())
            {
                if (ReceiverReport.TryRead(packets.Current, out ReceiverReport rr))
                {
                    foreach (ReportBlock block in rr.ReportBlocks)
                    {
                        sum += block.ExtendedHighestSequenceNumber + block.Jitter;
                    }
                }
                else if (SourceDescription.TryRead(packets.Current, out SourceDescription sdes))
                {
                    foreach (SourceDescriptionChunk chunk in sdes.Chunks)
                    {
                        if (chunk.TryGetItem(SdesItemType.Cname, out ReadOnlySpan<byte> cname))
                        {
                            sum += cname.Length;
                        }
                    }
                }
                else if (Remb.TryRead(packets.Current, out Remb remb))
                {
                    sum += (long)remb.Bitrate;
                }
            }

            return packets.IsMalformed ? -1 : sum;
        }
    }
}
