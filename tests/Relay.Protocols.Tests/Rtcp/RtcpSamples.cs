using System.Text;
using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

/// <summary>
/// Packets for the RTCP tests: captures from browsers where a published one exists, otherwise built by
/// hand from the RFC diagrams. Hex with spaces between fields, one line per 32-bit word where practical.
/// </summary>
internal static class RtcpSamples
{
    /// <summary>
    /// Firefox's RR + SDES compound, from the packet dump in pion/rtcp's packet_test.go: one report block,
    /// and a CNAME in Firefox's "{uuid}" form ending exactly two octets short of a word, so four nulls follow.
    /// </summary>
    public static readonly byte[] FirefoxReceiverReportAndCname = Concat(
        Hex("81 c9 0007", "902f9e2e", "bc5e9a40", "00 000000", "000046e1", "00000111", "09f36432", "00024a79"),
        Hex("81 ca 000c", "902f9e2e", "01 26"),
        Ascii("{9c00eb92-1afb-9d49-a47d-91f64eee69f5}"),
        Hex("00 00 00 00"));

    public const string FirefoxCname = "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}";

    /// <summary>Chrome's SDES with its 16-character CNAME, as captured in mediasoup's TestSdes.cpp.</summary>
    public static readonly byte[] ChromeCname = Concat(
        Hex("81 ca 0006", "9f65e742", "01 10"),
        Ascii("t7mkYnCm46OcINy/"),
        Hex("00 00"));

    public const string ChromeCnameText = "t7mkYnCm46OcINy/";

    /// <summary>Chrome's REMB (sender 0xfa17fa17, Chrome's receive-only SSRC), as captured in mediasoup's TestFeedbackPsRemb.cpp.</summary>
    public static readonly byte[] ChromeRemb = Hex(
        "8f ce 0006", "fa17fa17", "00000000", "52454d42", "02 01df82", "02d03702", "04a76747");

    /// <summary>
    /// A receive-side compound as Chrome sends it with REMB negotiated: an RR (built here, one block),
    /// then the captured Chrome SDES and REMB above.
    /// </summary>
    public static readonly byte[] ChromeStyleReceiverReportCnameRemb = Concat(
        Hex("81 c9 0007", "fa17fa17", "02d03702", "05 000003", "0001 2345", "0000 0010", "a1b2c3d4", "00 01 00 00"),
        ChromeCname,
        ChromeRemb);

    /// <summary>An SR with no report blocks, as captured in mediasoup's TestSenderReport.cpp.</summary>
    public static readonly byte[] SenderReportNoBlocks = Hex(
        "80 c8 0006", "5d931534", "dd3ac1b4", "76547171", "0008cf00", "00000e18", "0008cf00");

    /// <summary>
    /// Transport-wide CC feedback from Chrome (sender 0xfa17fa17), as kept in pion/rtcp's
    /// transport_layer_cc_test.go "example4": one run length chunk of 7 small deltas, P bit padding of 3.
    /// </summary>
    public static readonly byte[] ChromeTransportCcRunLength = Hex(
        "af cd 0007", "fa17fa17", "193dd8bb", "0004 0007", "10636e 01", "2007 4c 24", "24 10 0c 0c", "10 00 00 03");

    /// <summary>
    /// Chrome transport-wide CC feedback (pion "example6"): a 2-bit vector with a large delta, then a run
    /// length chunk of not-received longer than the status count needs, P bit padding of 1.
    /// </summary>
    public static readonly byte[] ChromeTransportCcTwoBitVector = Hex(
        "af cd 0007", "9b74f61f", "9371dcbc", "853c 0009", "63f916 b3", "d552 0030", "9b aa 6a aa", "7b 0109 01");

    /// <summary>Transport-wide CC feedback with a 1-bit vector chunk (pion "example5"), P bit padding of 2.</summary>
    public static readonly byte[] TransportCcOneBitVector = Hex(
        "af cd 0006", "fa17fa17", "193dd8bb", "0001 000e", "10636d 00", "ba00 10 0c", "0c 10 00 02");

    /// <summary>A generic NACK built from RFC 4585 section 6.2.1: PID 100, BLP 0x8001 (101 and 116 lost too).</summary>
    public static readonly byte[] Nack = Hex("81 cd 0003", "00000001", "12345678", "0064 8001");

    /// <summary>A PLI built from RFC 4585 section 6.3.1.</summary>
    public static readonly byte[] Pli = Hex("81 ce 0002", "00000001", "12345678");

    /// <summary>A FIR built from RFC 5104 section 4.3.1: two entries.</summary>
    public static readonly byte[] Fir = Hex("84 ce 0006", "00000001", "00000000", "12345678", "07 000000", "9abcdef0", "ff 000000");

    /// <summary>A BYE built from RFC 3550 section 6.6: two sources and the reason "bye" (fills its word exactly).</summary>
    public static readonly byte[] ByeWithReason = Hex("82 cb 0003", "11111111", "22222222", "03 627965");

    /// <summary>An APP built from RFC 3550 section 6.7: subtype 5, name "TEST", one word of data.</summary>
    public static readonly byte[] App = Hex("85 cc 0003", "4baae1ab", "54455354", "01020304");

    /// <summary>Every sample above, for tests that run over all of them.</summary>
    public static IEnumerable<byte[]> All =>
    [
        FirefoxReceiverReportAndCname, ChromeCname, ChromeRemb, ChromeStyleReceiverReportCnameRemb, SenderReportNoBlocks,
        ChromeTransportCcRunLength, ChromeTransportCcTwoBitVector, TransportCcOneBitVector, Nack, Pli, Fir, ByeWithReason, App,
        Concat(SenderReportNoBlocks, ChromeCname, ByeWithReason),
    ];

    /// <summary>
    /// Writes one packet, checking what every writer promises: the length it announces, a 32-bit aligned
    /// size, a matching length field, and refusing (writing nothing) a destination one byte short.
    /// </summary>
    public static byte[] Serialize<TWriter>(TWriter writer)
        where TWriter : IRtcpPacketWriter, allows ref struct
    {
        int length = writer.GetSerializedLength();
        Assert.Equal(0, length % 4);

        byte[] tooShort = new byte[length - 1];
        Assert.False(writer.TryWrite(tooShort, out int none));
        Assert.Equal(0, none);
        Assert.All(tooShort, b => Assert.Equal(0, b));

        // Fill with garbage first so any byte the writer forgets to set shows up.
        byte[] buffer = new byte[length + 8];
        buffer.AsSpan().Fill(0xEE);
        Assert.True(writer.TryWrite(buffer, out int written));
        Assert.Equal(length, written);
        Assert.All(buffer[length..], b => Assert.Equal(0xEE, b));
        Assert.Equal(2, buffer[0] >> 6);
        Assert.Equal(length, ((buffer[2] << 8 | buffer[3]) + 1) * 4);
        return buffer[..length];
    }

    /// <summary>Reads the single packet a datagram holds, failing the test if it holds anything else.</summary>
    public static RtcpPacket Single(byte[] datagram)
    {
        var packets = new RtcpCompoundEnumerator(datagram);
        Assert.True(packets.MoveNext(), packets.Error.ToString());
        RtcpPacket packet = packets.Current;
        Assert.False(packets.MoveNext());
        Assert.False(packets.IsMalformed, packets.Error.ToString());
        return packet;
    }

    public static byte[] Hex(params string[] words) => Convert.FromHexString(string.Concat(words).Replace(" ", string.Empty, StringComparison.Ordinal));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>
    /// Runs every reader and enumerator over every packet of <paramref name="datagram"/>, as a hostile-input
    /// test needs, and folds what it saw into a number so nothing is optimised away.
    /// </summary>
    public static long Exercise(ReadOnlySpan<byte> datagram)
    {
        long seen = 0;
        var packets = new RtcpCompoundEnumerator(datagram);
        while (packets.MoveNext())
        {
            RtcpPacket packet = packets.Current;
            seen += packet.Payload.Length + packet.PaddingLength + packet.Count;
            if (SenderReport.TryRead(packet, out SenderReport sr))
            {
                seen += sr.Ssrc + sr.SenderInfo.PacketCount + sr.ProfileExtensions.Length;
                foreach (ReportBlock block in sr.ReportBlocks)
                {
                    seen += block.CumulativeLost;
                }
            }

            if (ReceiverReport.TryRead(packet, out ReceiverReport rr))
            {
                seen += rr.Ssrc + rr.ProfileExtensions.Length;
                foreach (ReportBlock block in rr.ReportBlocks)
                {
                    seen += block.Jitter;
                }
            }

            if (SourceDescription.TryRead(packet, out SourceDescription sdes))
            {
                foreach (SourceDescriptionChunk chunk in sdes.Chunks)
                {
                    seen += chunk.Ssrc;
                    foreach (SourceDescriptionItem item in chunk.Items)
                    {
                        seen += (int)item.Type + item.Value.Length;
                    }
                }
            }

            if (Goodbye.TryRead(packet, out Goodbye bye))
            {
                for (int i = 0; i < bye.SourceCount; i++)
                {
                    seen += bye.GetSsrc(i);
                }

                seen += bye.Reason.Length;
            }

            if (ApplicationDefined.TryRead(packet, out ApplicationDefined app))
            {
                seen += app.Ssrc + app.Name[0] + app.Data.Length;
            }

            if (FeedbackPacket.TryRead(packet, out FeedbackPacket feedback))
            {
                seen += feedback.MediaSsrc + feedback.Fci.Length;
            }

            if (GenericNack.TryRead(packet, out GenericNack nack))
            {
                foreach (ushort lost in nack.LostSequenceNumbers)
                {
                    seen += lost;
                }
            }

            if (TransportCcFeedback.TryRead(packet, out TransportCcFeedback twcc))
            {
                foreach (TransportCcPacket status in twcc.Packets)
                {
                    seen += status.ArrivalTimeMicroseconds + status.SequenceNumber;
                }
            }

            if (PictureLossIndication.TryRead(packet, out PictureLossIndication pli))
            {
                seen += pli.MediaSsrc;
            }

            if (FullIntraRequest.TryRead(packet, out FullIntraRequest fir))
            {
                for (int i = 0; i < fir.EntryCount; i++)
                {
                    seen += fir.GetEntry(i).SequenceNumber;
                }
            }

            if (Remb.TryRead(packet, out Remb remb))
            {
                seen += (long)remb.Bitrate;
                for (int i = 0; i < remb.SsrcCount; i++)
                {
                    seen += remb.GetSsrc(i);
                }
            }
        }

        return seen + (int)packets.Error;
    }
}
