using Relay.Protocols.Rtp;
using static Relay.Protocols.Tests.Rtp.RtpTestPackets;

namespace Relay.Protocols.Tests.Rtp;

public class RtpPacketReaderTests
{
    private static readonly byte[] s_sixteenAb = Enumerable.Repeat((byte)0xAB, 16).ToArray();

    [Fact]
    public void TryRead_ReadsRfc9335OneBytePacket()
    {
        Assert.True(RtpPacketReader.TryRead(Rfc9335OneByte, out RtpPacketReader packet));

        Assert.False(packet.Header.HasPadding);
        Assert.True(packet.Header.HasExtension);
        Assert.False(packet.Header.Marker);
        Assert.Equal(15, packet.Header.PayloadType);
        Assert.Equal(0x1235, packet.Header.SequenceNumber);
        Assert.Equal(0xDECAFBADu, packet.Header.Timestamp);
        Assert.Equal(0xCAFEBABEu, packet.Header.Ssrc);
        Assert.Equal(0, packet.CsrcCount);
        Assert.Equal(20, packet.Header.HeaderLength);
        Assert.Equal(RtpExtensionProfile.OneByte, packet.ExtensionProfile);
        Assert.Equal(RtpExtensionForm.OneByte, packet.ExtensionForm);
        Assert.Equal(new byte[] { 0x51, 0x00, 0x02, 0x00 }, packet.ExtensionData.ToArray());
        Assert.Equal([(5, "0002")], Elements(packet));
        Assert.Equal(s_sixteenAb, packet.Payload.ToArray());
        Assert.Equal(0, packet.PaddingLength);
    }

    [Fact]
    public void TryRead_ReadsRfc9335TwoBytePacket()
    {
        Assert.True(RtpPacketReader.TryRead(Rfc9335TwoByte, out RtpPacketReader packet));

        Assert.Equal(0x1236, packet.Header.SequenceNumber);
        Assert.Equal(RtpExtensionProfile.TwoByte, packet.ExtensionProfile);
        Assert.Equal(RtpExtensionForm.TwoByte, packet.ExtensionForm);
        Assert.Equal([(5, "0002")], Elements(packet));
        Assert.Equal(s_sixteenAb, packet.Payload.ToArray());
    }

    [Theory]
    [InlineData(nameof(Rfc9335OneByteWithCsrcs), RtpExtensionForm.OneByte)]
    [InlineData(nameof(Rfc9335TwoByteWithCsrcs), RtpExtensionForm.TwoByte)]
    public void TryRead_ReadsCsrcsBeforeTheExtension(string name, RtpExtensionForm form)
    {
        Assert.True(RtpPacketReader.TryRead(ByName(name), out RtpPacketReader packet));

        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(123456u, packet.GetCsrc(0));
        Assert.Equal(45678u, packet.GetCsrc(1));
        Assert.Equal(28, packet.Header.HeaderLength);
        Assert.Equal(form, packet.ExtensionForm);
        Assert.Equal([(5, "0002")], Elements(packet));
        Assert.Equal(s_sixteenAb, packet.Payload.ToArray());
    }

    [Theory]
    [InlineData(nameof(Rfc9335EmptyOneByteWithCsrcs), RtpExtensionForm.OneByte)]
    [InlineData(nameof(Rfc9335EmptyTwoByteWithCsrcs), RtpExtensionForm.TwoByte)]
    public void TryRead_AcceptsAnEmptyExtensionBlock(string name, RtpExtensionForm form)
    {
        Assert.True(RtpPacketReader.TryRead(ByName(name), out RtpPacketReader packet));

        Assert.True(packet.HasExtension);
        Assert.Equal(form, packet.ExtensionForm);
        Assert.True(packet.ExtensionData.IsEmpty);
        Assert.Empty(Elements(packet));
        Assert.Equal(24, packet.Header.HeaderLength);
        Assert.Equal(s_sixteenAb, packet.Payload.ToArray());
    }

    [Fact]
    public void TryRead_ReadsChromeStyleExtensionsAndPadding()
    {
        Assert.True(RtpPacketReader.TryRead(ChromeVideo, out RtpPacketReader packet));

        Assert.True(packet.Header.HasPadding);
        Assert.True(packet.Header.Marker);
        Assert.Equal(96, packet.Header.PayloadType);
        Assert.Equal(0x1234, packet.Header.SequenceNumber);
        Assert.Equal(90000u, packet.Header.Timestamp);
        Assert.Equal(ChromeVideoSsrc, packet.Header.Ssrc);
        Assert.Equal(24, packet.Header.HeaderLength);
        Assert.Equal([(2, "123456"), (3, "002A")], Elements(packet));

        Assert.True(packet.TryGetExtension(2, out ReadOnlySpan<byte> absSendTime));
        Assert.Equal("123456", Convert.ToHexString(absSendTime));
        Assert.True(packet.TryGetExtension(3, out ReadOnlySpan<byte> transportCc));
        Assert.Equal(42, (transportCc[0] << 8) | transportCc[1]);
        Assert.False(packet.TryGetExtension(4, out _));

        Assert.Equal(3, packet.PaddingLength);
        Assert.Equal("1002030405", Convert.ToHexString(packet.Payload));
    }

    [Fact]
    public void TryRead_ReadsTwoByteElementsWithAppBitsEmptyDataAndInnerPadding()
    {
        Assert.True(RtpPacketReader.TryRead(TwoByteAudio, out RtpPacketReader packet));

        Assert.Equal(0x1003, packet.ExtensionProfile);
        Assert.Equal(RtpExtensionForm.TwoByte, packet.ExtensionForm);
        Assert.Equal([(16, ""), (1, "68656C6C6F")], Elements(packet));
        Assert.True(packet.TryGetExtension(16, out ReadOnlySpan<byte> empty));
        Assert.True(empty.IsEmpty);
        Assert.Equal("F8FFFE", Convert.ToHexString(packet.Payload));
        Assert.Equal(0, packet.PaddingLength);
    }

    [Fact]
    public void TryRead_AcceptsABareFixedHeader()
    {
        byte[] bytes = Hex("80000001 00000002 00000003");

        Assert.True(RtpPacketReader.TryRead(bytes, out RtpPacketReader packet));

        Assert.Equal(RtpExtensionForm.None, packet.ExtensionForm);
        Assert.Equal(0, packet.ExtensionProfile);
        Assert.True(packet.ExtensionData.IsEmpty);
        Assert.Empty(Elements(packet));
        Assert.True(packet.Payload.IsEmpty);
    }

    [Fact]
    public void TryRead_AcceptsPaddingThatFillsEverythingAfterTheHeader()
    {
        // Bandwidth probes carry padding and no payload.
        byte[] bytes = Hex("a0600001 00000002 00000003 00000004");

        Assert.True(RtpPacketReader.TryRead(bytes, out RtpPacketReader packet));

        Assert.Equal(4, packet.PaddingLength);
        Assert.True(packet.Payload.IsEmpty);
    }

    [Fact]
    public void TryRead_RejectsPaddingCountZero()
    {
        byte[] bytes = Hex("a0600001 00000002 00000003 11223300");

        Assert.False(RtpPacketReader.TryRead(bytes, out _));
    }

    [Fact]
    public void TryRead_RejectsPaddingLargerThanWhatFollowsTheHeader()
    {
        byte[] bytes = Hex("a0600001 00000002 00000003 00000005");

        Assert.False(RtpPacketReader.TryRead(bytes, out _));
    }

    [Fact]
    public void TryRead_RejectsPaddingBitOnABareHeader()
    {
        // With nothing after the header the count byte would be the SSRC's last byte.
        byte[] bytes = Hex("a0600001 00000002 00000001");

        Assert.False(RtpPacketReader.TryRead(bytes, out _));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x40)]
    [InlineData(0xC0)]
    public void TryRead_RejectsVersionsOtherThanTwo(byte firstByte)
    {
        byte[] bytes = Rfc9335OneByte;
        bytes[0] = (byte)(firstByte | (bytes[0] & 0x3F));

        Assert.False(RtpPacketReader.TryRead(bytes, out _));
    }

    [Fact]
    public void TryRead_RejectsCsrcCountRunningPastTheEnd()
    {
        byte[] bytes = Hex("8f600001 00000002 00000003 00000004");

        Assert.False(RtpPacketReader.TryRead(bytes, out _));
    }

    [Fact]
    public void TryRead_RejectsExtensionLengthRunningPastTheEnd()
    {
        byte[] bytes = Rfc9335OneByte;
        bytes[14] = 0xFF;
        bytes[15] = 0xFF;

        Assert.False(RtpPacketReader.TryRead(bytes, out _));
    }

    [Fact]
    public void TryRead_TreatsAnUnknownProfileAsOpaque()
    {
        byte[] bytes = Hex("900f0001 00000002 00000003 abcd0001 51000200 ffff");

        Assert.True(RtpPacketReader.TryRead(bytes, out RtpPacketReader packet));

        Assert.Equal(0xABCD, packet.ExtensionProfile);
        Assert.Equal(RtpExtensionForm.Other, packet.ExtensionForm);
        Assert.Equal(4, packet.ExtensionData.Length);
        Assert.Empty(Elements(packet));
        Assert.False(packet.TryGetExtension(5, out _));
        Assert.Equal("FFFF", Convert.ToHexString(packet.Payload));
    }

    [Fact]
    public void GetCsrc_ThrowsForAnIndexPastTheCount()
    {
        byte[] bytes = Rfc9335OneByteWithCsrcs;

        Assert.Throws<ArgumentOutOfRangeException>(() => Read(bytes).GetCsrc(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Read(bytes).GetCsrc(-1));
    }

    [Fact]
    public void Payload_IsASliceOfThePacketNotACopy()
    {
        byte[] bytes = ChromeVideo;
        Assert.True(RtpPacketReader.TryRead(bytes, out RtpPacketReader packet));

        Assert.True(bytes.AsSpan().Overlaps(packet.Payload, out int offset));
        Assert.Equal(24, offset);
    }

    internal static List<(int Id, string Data)> Elements(RtpPacketReader packet)
    {
        var elements = new List<(int, string)>();
        foreach (RtpExtensionElement element in packet.GetExtensions())
        {
            elements.Add((element.Id, Convert.ToHexString(element.Data)));
        }

        return elements;
    }

    private static RtpPacketReader Read(byte[] bytes)
    {
        Assert.True(RtpPacketReader.TryRead(bytes, out RtpPacketReader packet));
        return packet;
    }
}
