using Relay.Protocols.Rtp;
using Relay.Testing;

namespace Relay.Protocols.Tests.Rtp;

public class RtpHeaderTests
{
    // V=2, X=1, CC=1, M=1, PT=96, seq 0x1234, ts 0xDEADBEEF, SSRC 0x11223344, one CSRC,
    // a one-byte-form extension of one word, then a 4-byte payload.
    private static readonly byte[] s_packet =
    [
        0x91, 0xE0, 0x12, 0x34,
        0xDE, 0xAD, 0xBE, 0xEF,
        0x11, 0x22, 0x33, 0x44,
        0x55, 0x66, 0x77, 0x88,
        0xBE, 0xDE, 0x00, 0x01,
        0x10, 0xAA, 0x00, 0x00,
        0x01, 0x02, 0x03, 0x04,
    ];

    [Fact]
    public void TryRead_ReadsFixedFieldsAndHeaderLength()
    {
        Assert.True(RtpHeader.TryRead(s_packet, out RtpHeader header));

        Assert.True(header.Marker);
        Assert.True(header.HasExtension);
        Assert.False(header.HasPadding);
        Assert.Equal(1, header.CsrcCount);
        Assert.Equal(96, header.PayloadType);
        Assert.Equal(0x1234, header.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, header.Timestamp);
        Assert.Equal(0x11223344u, header.Ssrc);
        Assert.Equal(24, header.HeaderLength);
    }

    [Fact]
    public void TryRead_RejectsOtherVersions()
    {
        byte[] packet = (byte[])s_packet.Clone();
        packet[0] = (byte)((packet[0] & 0x3F) | 0x40);
        Assert.False(RtpHeader.TryRead(packet, out _));
    }

    [Fact]
    public void TryRead_RejectsExtensionLongerThanPacket()
    {
        byte[] packet = (byte[])s_packet.Clone();
        packet[19] = 3;
        Assert.False(RtpHeader.TryRead(packet, out _));
    }

    [Fact]
    public void TryRead_ReturnsFalseForEveryTruncatedPrefixOfTheHeader()
    {
        foreach (byte[] prefix in HostileInput.Truncations(s_packet).Take(24))
        {
            Assert.False(RtpHeader.TryRead(prefix, out _), $"prefix of {prefix.Length} bytes");
        }
    }

    [Fact]
    public void TryRead_NeverReadsPastCorruptedInput()
    {
        foreach ((int _, byte[] input) in HostileInput.Corruptions(s_packet))
        {
            if (RtpHeader.TryRead(input, out RtpHeader header))
            {
                Assert.InRange(header.HeaderLength, RtpHeader.FixedLength, input.Length);
            }
        }
    }
}
