using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class RtcpHostileInputTests
{
    [Fact]
    public void RandomCorruptionOfValidPackets_NeverThrows()
    {
        byte[][] samples = RtcpSamples.All.ToArray();
        long seen = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            foreach (byte[] sample in samples)
            {
                for (int round = 0; round < 25; round++)
                {
                    byte[] corrupted = Corrupt(sample, random);
                    seen += RtcpSamples.Exercise(corrupted);
                }
            }
        }

        Assert.NotEqual(0, seen);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(12345);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 96)];
            random.NextBytes(bytes);
            if (bytes.Length > 1 && random.Next(2) == 0)
            {
                // Make most of them get past the header checks, to reach the type-specific readers.
                bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F));
                bytes[1] = (byte)random.Next(200, 208);
            }

            RtcpSamples.Exercise(bytes);
        }
    }

    public static TheoryData<string> PacketsThatNeedAllTheirWords => new()
    {
        nameof(RtcpSamples.ChromeTransportCcRunLength),
        nameof(RtcpSamples.ChromeTransportCcTwoBitVector),
        nameof(RtcpSamples.TransportCcOneBitVector),
        nameof(RtcpSamples.ChromeRemb),
        nameof(RtcpSamples.ChromeCname),
        nameof(RtcpSamples.Pli),
        nameof(RtcpSamples.SenderReportNoBlocks),
    };

    [Theory]
    [MemberData(nameof(PacketsThatNeedAllTheirWords))]
    public void ShortenedPacket_WithAConsistentLengthField_IsRejectedByItsReader(string name)
    {
        byte[] sample = (byte[])typeof(RtcpSamples).GetField(name)!.GetValue(null)!;
        Func<byte[], bool> read = ReaderFor(sample);
        Assert.True(read(sample));

        for (int words = 1; words < sample.Length / 4; words++)
        {
            // Cut whole words off the end and rewrite the header to match, dropping the P bit with its count.
            byte[] shortened = sample[..^(words * 4)];
            shortened[0] &= 0xDF;
            int lengthField = (shortened.Length / 4) - 1;
            shortened[2] = (byte)(lengthField >> 8);
            shortened[3] = (byte)lengthField;

            Assert.False(read(shortened), $"{name} shortened by {words} words");
        }
    }

    private static Func<byte[], bool> ReaderFor(byte[] sample) => (RtcpPacketType)sample[1] switch
    {
        RtcpPacketType.SenderReport => b => RtcpPacket.TryRead(b, out RtcpPacket p) && SenderReport.TryRead(p, out _),
        RtcpPacketType.SourceDescription => b => RtcpPacket.TryRead(b, out RtcpPacket p) && SourceDescription.TryRead(p, out _),
        RtcpPacketType.TransportLayerFeedback => b => RtcpPacket.TryRead(b, out RtcpPacket p) && TransportCcFeedback.TryRead(p, out _),
        _ when (sample[0] & 0x1F) == 1 => b => RtcpPacket.TryRead(b, out RtcpPacket p) && PictureLossIndication.TryRead(p, out _),
        _ => b => RtcpPacket.TryRead(b, out RtcpPacket p) && Remb.TryRead(p, out _),
    };

    [Fact]
    public void DefaultPacket_IsRejectedByEveryReader()
    {
        RtcpPacket packet = default;

        Assert.Equal(0, packet.Count);
        Assert.False(packet.HasPadding);
        Assert.True(packet.Payload.IsEmpty);
        Assert.False(SenderReport.TryRead(packet, out _));
        Assert.False(ReceiverReport.TryRead(packet, out _));
        Assert.False(SourceDescription.TryRead(packet, out _));
        Assert.False(Goodbye.TryRead(packet, out _));
        Assert.False(ApplicationDefined.TryRead(packet, out _));
        Assert.False(FeedbackPacket.TryRead(packet, out _));
        Assert.False(GenericNack.TryRead(packet, out _));
        Assert.False(TransportCcFeedback.TryRead(packet, out _));
        Assert.False(PictureLossIndication.TryRead(packet, out _));
        Assert.False(FullIntraRequest.TryRead(packet, out _));
        Assert.False(Remb.TryRead(packet, out _));
    }

    private static byte[] Corrupt(byte[] sample, Random random)
    {
        byte[] bytes = sample.ToArray();
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Length > 0; m++)
        {
            int at = random.Next(bytes.Length);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    // Aim at a length field, count field or padding octet, where parsers trust the data most.
                    int header = at & ~3;
                    bytes[header + random.Next(Math.Min(4, bytes.Length - header))] = (byte)random.Next(256);
                    break;
                case 3:
                    bytes[^1] = (byte)random.Next(256);
                    break;
                case 4:
                    Array.Resize(ref bytes, random.Next(bytes.Length));
                    break;
                case 5:
                    byte[] tail = new byte[random.Next(1, 16)];
                    random.NextBytes(tail);
                    bytes = [.. bytes, .. tail];
                    break;
                default:
                    bytes[at] = random.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                    break;
            }
        }

        return bytes;
    }
}
