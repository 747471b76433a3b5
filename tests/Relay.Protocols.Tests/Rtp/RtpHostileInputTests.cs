using Relay.Protocols.Demux;
using Relay.Protocols.Rtp;
using static Relay.Protocols.Tests.Rtp.RtpTestPackets;

namespace Relay.Protocols.Tests.Rtp;

/// <summary>
/// Truncated and corrupted packets: nothing throws, and every span handed out lies inside the packet.
/// Out-of-bounds reads would surface here as exceptions, since the packet is always a slice of a
/// larger buffer whose neighbouring bytes a bounds-checked span cannot reach.
/// </summary>
public class RtpHostileInputTests
{
    [Theory]
    [MemberData(nameof(RtpTestPackets.Names), MemberType = typeof(RtpTestPackets))]
    public void ParseReturnsFalseForEveryPrefixShorterThanTheHeader(string name)
    {
        byte[] packet = ByName(name);
        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader whole));
        int headerLength = whole.Header.HeaderLength;

        for (int length = 0; length < headerLength; length++)
        {
            ReadOnlySpan<byte> prefix = packet.AsSpan(0, length);
            Assert.False(RtpPacketReader.TryRead(prefix, out _), $"prefix of {length} bytes parsed");
            Assert.False(RtpHeader.TryRead(prefix, out _));
            Assert.False(RtpPacketRewriter.TryCreate(packet.AsSpan(0, length), out _));
        }
    }

    [Theory]
    [MemberData(nameof(RtpTestPackets.Names), MemberType = typeof(RtpTestPackets))]
    public void EveryPrefixPastTheHeader_ParsesOnlyWithinItself(string name)
    {
        // RTP declares no payload length, so a prefix that keeps the whole header is a shorter packet;
        // with P set its last byte becomes the padding count and must then be checked again.
        byte[] packet = ByName(name);
        for (int length = 0; length <= packet.Length; length++)
        {
            Exercise(packet.AsSpan(0, length));
        }
    }

    [Fact]
    public void RandomCorruption_NeverThrowsAndNeverLeavesThePacket()
    {
        byte[][] samples = All().ToArray();
        byte[] buffer = new byte[512];
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            foreach (byte[] sample in samples)
            {
                for (int round = 0; round < 25; round++)
                {
                    int length = Mutate(random, sample, buffer);
                    Exercise(buffer.AsSpan(0, length));
                }
            }
        }
    }

    [Fact]
    public void RandomBytesBehindAValidFirstByte_NeverThrow()
    {
        byte[] buffer = new byte[128];
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            for (int round = 0; round < 50; round++)
            {
                int length = random.Next(0, buffer.Length + 1);
                random.NextBytes(buffer.AsSpan(0, length));
                if (length > 0)
                {
                    // Keep version 2 so the fuzzing reaches past the first check.
                    buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
                }

                Exercise(buffer.AsSpan(0, length));
            }
        }
    }

    private static int Mutate(Random random, byte[] sample, byte[] buffer)
    {
        sample.CopyTo(buffer, 0);
        int length = sample.Length;
        int mutations = random.Next(1, 6);
        for (int i = 0; i < mutations; i++)
        {
            switch (random.Next(6))
            {
                case 0:
                    buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    buffer[random.Next(length)] = (byte)random.Next(256);
                    break;
                case 2:
                    // Lengths live in these bytes: first byte (CC, P, X), extension length, element headers.
                    int[] hot = [0, 13, 14, 15, 16, 17, 20, 21, 24, 25, length - 1];
                    int index = hot[random.Next(hot.Length)];
                    if ((uint)index < (uint)length)
                    {
                        buffer[index] = (byte)random.Next(256);
                    }

                    break;
                case 3:
                    length = random.Next(0, length + 1);
                    break;
                case 4:
                    int grow = random.Next(1, 64);
                    random.NextBytes(buffer.AsSpan(length, grow));
                    length += grow;
                    break;
                default:
                    // The padding count is the last byte.
                    buffer[length - 1 - random.Next(Math.Min(4, length))] = (byte)random.Next(256);
                    break;
            }

            if (length == 0)
            {
                break;
            }
        }

        // Bytes just past the packet are a trap: reading them would be a bug even without an exception.
        buffer.AsSpan(length).Fill(0xEE);
        return length;
    }

    private static void Exercise(Span<byte> packet)
    {
        PacketClassifier.Classify(packet);

        if (RtpPacketReader.TryRead(packet, out RtpPacketReader reader))
        {
            int headerLength = reader.Header.HeaderLength;
            Assert.InRange(headerLength, RtpHeader.FixedLength, packet.Length);
            AssertInside(packet, reader.Payload);
            AssertInside(packet, reader.ExtensionData);
            Assert.Equal(packet.Length, headerLength + reader.Payload.Length + reader.PaddingLength);
            for (int i = 0; i < reader.CsrcCount; i++)
            {
                _ = reader.GetCsrc(i);
            }

            _ = reader.ExtensionProfile;
            _ = reader.ExtensionForm;
            int count = 0;
            foreach (RtpExtensionElement element in reader.GetExtensions())
            {
                AssertInside(reader.ExtensionData, element.Data);
                Assert.InRange(++count, 1, reader.ExtensionData.Length);
            }

            for (int id = 0; id < 16; id++)
            {
                if (reader.TryGetExtension((byte)id, out ReadOnlySpan<byte> data))
                {
                    AssertInside(reader.ExtensionData, data);
                }
            }
        }

        if (RtpPacketRewriter.TryCreate(packet, out RtpPacketRewriter rewriter))
        {
            byte[] before = packet.ToArray();
            rewriter.SetSsrc(1);
            rewriter.SetPayloadType(2);
            rewriter.SetSequenceNumber(3);
            rewriter.SetTimestamp(4);
            rewriter.SetMarker(true);
            for (int id = 0; id < 16; id++)
            {
                if (rewriter.TryGetExtensionValue((byte)id, out Span<byte> value))
                {
                    AssertInside(packet, value);
                    value.Fill(0x5A);
                }

                rewriter.TrySetExtensionValue((byte)id, [1, 2]);
                rewriter.TrySetExtensionId((byte)id, (byte)(15 - id));
            }

            rewriter.TryRemapExtensionIds([0, 2, 1, 4, 3, 0, 7, 6]);

            // Only the fixed header and the extension block may change; never the payload or padding.
            Assert.True(RtpHeader.TryRead(packet, out RtpHeader header));
            Assert.True(packet[header.HeaderLength..].SequenceEqual(before.AsSpan(header.HeaderLength)));
        }
    }

    private static void AssertInside(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner)
    {
        if (inner.IsEmpty)
        {
            return;
        }

        Assert.True(outer.Overlaps(inner, out int offset));
        Assert.InRange(offset, 0, outer.Length - inner.Length);
    }
}
