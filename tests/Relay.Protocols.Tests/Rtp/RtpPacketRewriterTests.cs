using System.Buffers.Binary;
using Relay.Protocols.Rtp;
using static Relay.Protocols.Tests.Rtp.RtpTestPackets;

namespace Relay.Protocols.Tests.Rtp;

public class RtpPacketRewriterTests
{
    [Fact]
    public void SetSsrc_ChangesOnlyTheSsrcBytes()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Create(after).SetSsrc(0x01020304);

        Assert.Equal([8, 9, 10, 11], Differences(before, after));
        Assert.Equal(0x01020304u, Read(after).Header.Ssrc);
    }

    [Fact]
    public void SetSequenceNumber_ChangesOnlyTheSequenceBytes()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Create(after).SetSequenceNumber(0xFEDC);

        Assert.Equal([2, 3], Differences(before, after));
        Assert.Equal(0xFEDC, Read(after).Header.SequenceNumber);
    }

    [Fact]
    public void SetTimestamp_ChangesOnlyTheTimestampBytes()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Create(after).SetTimestamp(0xA1B2C3D4);

        Assert.Equal([4, 5, 6, 7], Differences(before, after));
        Assert.Equal(0xA1B2C3D4u, Read(after).Header.Timestamp);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SetPayloadType_KeepsTheMarkerBit(bool marker)
    {
        byte[] packet = ChromeVideo;
        Create(packet).SetMarker(marker);
        byte[] before = (byte[])packet.Clone();

        Create(packet).SetPayloadType(127);

        Assert.Equal(marker, Read(packet).Header.Marker);
        Assert.Equal(127, Read(packet).Header.PayloadType);
        Assert.Equal([1], Differences(before, packet));
    }

    [Fact]
    public void SetMarker_KeepsThePayloadType()
    {
        byte[] packet = ChromeVideo;

        Create(packet).SetMarker(false);
        Assert.False(Read(packet).Header.Marker);
        Assert.Equal(96, Read(packet).Header.PayloadType);

        Create(packet).SetMarker(true);
        Assert.True(Read(packet).Header.Marker);
        Assert.Equal(96, Read(packet).Header.PayloadType);
    }

    [Fact]
    public void SetPayloadType_ThrowsAboveSevenBits()
    {
        byte[] packet = ChromeVideo;

        Assert.Throws<ArgumentOutOfRangeException>(() => Create(packet).SetPayloadType(128));
    }

    [Theory]
    [MemberData(nameof(RtpTestPackets.Names), MemberType = typeof(RtpTestPackets))]
    public void RewritingEveryHeaderField_LeavesEverythingElseByteForByte(string name)
    {
        byte[] before = ByName(name);
        byte[] after = ByName(name);

        RtpPacketRewriter rewriter = Create(after);
        rewriter.SetSsrc(0x0BADF00D);
        rewriter.SetPayloadType(100);
        rewriter.SetSequenceNumber(1);
        rewriter.SetTimestamp(2);
        rewriter.SetMarker(true);

        Assert.All(Differences(before, after), index => Assert.InRange(index, 1, 11));
        RtpPacketReader original = Read(before);
        RtpPacketReader rewritten = Read(after);
        Assert.Equal(0x0BADF00Du, rewritten.Header.Ssrc);
        Assert.Equal(100, rewritten.Header.PayloadType);
        Assert.Equal(1, rewritten.Header.SequenceNumber);
        Assert.Equal(2u, rewritten.Header.Timestamp);
        Assert.True(rewritten.Header.Marker);
        Assert.Equal(original.Header.HeaderLength, rewritten.Header.HeaderLength);
        Assert.Equal(original.PaddingLength, rewritten.PaddingLength);
        Assert.Equal(RtpPacketReaderTests.Elements(original), RtpPacketReaderTests.Elements(rewritten));
        Assert.True(original.Payload.SequenceEqual(rewritten.Payload));
    }

    [Fact]
    public void TrySetExtensionValue_OverwritesTransportSequenceNumberInPlace()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;
        Span<byte> value = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(value, 0xBEEF);

        Assert.True(Create(after).TrySetExtensionValue(3, value));

        Assert.Equal([21, 22], Differences(before, after));
        Assert.True(Read(after).TryGetExtension(3, out ReadOnlySpan<byte> written));
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(written));
    }

    [Fact]
    public void TryGetExtensionValue_GivesAWritableViewOfAbsSendTime()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Assert.True(Create(after).TryGetExtensionValue(2, out Span<byte> absSendTime));
        Assert.Equal(3, absSendTime.Length);
        absSendTime[0] = 0xAA;
        absSendTime[1] = 0xBB;
        absSendTime[2] = 0xCC;

        Assert.Equal([17, 18, 19], Differences(before, after));
        Assert.True(Read(after).TryGetExtension(2, out ReadOnlySpan<byte> read));
        Assert.Equal("AABBCC", Convert.ToHexString(read));
    }

    [Fact]
    public void TrySetExtensionValue_RefusesADifferentLengthAndLeavesThePacket()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Assert.False(Create(after).TrySetExtensionValue(3, [1, 2, 3]));
        Assert.False(Create(after).TrySetExtensionValue(3, [1]));
        Assert.False(Create(after).TrySetExtensionValue(9, [1, 2]));

        Assert.Empty(Differences(before, after));
    }

    [Fact]
    public void TrySetExtensionValue_WorksInTheTwoByteForm()
    {
        byte[] packet = TwoByteAudio;

        Assert.True(Create(packet).TrySetExtensionValue(1, "world"u8));

        Assert.True(Read(packet).TryGetExtension(1, out ReadOnlySpan<byte> value));
        Assert.Equal("world"u8.ToArray(), value.ToArray());
    }

    [Fact]
    public void ExtensionMethods_FindNothingInAPacketWithoutExtension()
    {
        byte[] packet = Hex("80600001 00000002 00000003 aabb");
        byte[] before = (byte[])packet.Clone();
        RtpPacketRewriter rewriter = Create(packet);

        Assert.Equal(RtpExtensionForm.None, rewriter.ExtensionForm);
        Assert.False(rewriter.TryGetExtensionValue(1, out _));
        Assert.False(rewriter.TrySetExtensionId(1, 2));
        Assert.True(rewriter.TryRemapExtensionIds([0, 2, 1]));
        Assert.Empty(Differences(before, packet));
    }

    [Fact]
    public void TrySetExtensionId_RenamesAOneByteElementAndKeepsItsLength()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Assert.True(Create(after).TrySetExtensionId(3, 5));

        Assert.Equal([20], Differences(before, after));
        Assert.Equal(0x51, after[20]);
        Assert.Equal([(2, "123456"), (5, "002A")], RtpPacketReaderTests.Elements(Read(after)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    public void TrySetExtensionId_RefusesIdsTheOneByteFormCannotCarry(int newId)
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Assert.False(Create(after).TrySetExtensionId(3, (byte)newId));

        Assert.Empty(Differences(before, after));
    }

    [Fact]
    public void TrySetExtensionId_RenamesATwoByteElementBeyondFourteen()
    {
        byte[] packet = TwoByteAudio;

        Assert.True(Create(packet).TrySetExtensionId(1, 200));

        Assert.Equal([(16, ""), (200, "68656C6C6F")], RtpPacketReaderTests.Elements(Read(packet)));
    }

    [Fact]
    public void TrySetExtensionId_ReturnsFalseForAnAbsentId()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;

        Assert.False(Create(after).TrySetExtensionId(7, 8));

        Assert.Empty(Differences(before, after));
    }

    [Fact]
    public void TryRemapExtensionIds_SwapsIdsWithoutColliding()
    {
        byte[] packet = ChromeVideo;
        byte[] map = new byte[16];
        map[2] = 3;
        map[3] = 2;

        Assert.True(Create(packet).TryRemapExtensionIds(map));

        Assert.Equal([(3, "123456"), (2, "002A")], RtpPacketReaderTests.Elements(Read(packet)));
    }

    [Fact]
    public void TryRemapExtensionIds_DropsUnmappedElementsAsPadding()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;
        byte[] map = [0, 0, 0, 9];

        Assert.True(Create(after).TryRemapExtensionIds(map));

        // abs-send-time (header and 3 data bytes) became zeros; transport-cc was renamed to 9.
        Assert.Equal([16, 17, 18, 19, 20], Differences(before, after));
        Assert.Equal("0000000091002A00", Convert.ToHexString(after.AsSpan(16, 8)));
        var elements = new RtpExtensionEnumerator(RtpExtensionProfile.OneByte, Read(after).ExtensionData);
        Assert.True(elements.MoveNext());
        Assert.Equal(9, elements.Current.Id);
        Assert.False(elements.MoveNext());
        Assert.False(elements.IsMalformed);
        Assert.Equal("1002030405", Convert.ToHexString(Read(after).Payload));
    }

    [Fact]
    public void TryRemapExtensionIds_DropsEverythingWithAnEmptyTable()
    {
        byte[] packet = TwoByteAudio;

        Assert.True(Create(packet).TryRemapExtensionIds([]));

        Assert.Empty(RtpPacketReaderTests.Elements(Read(packet)));
        Assert.True(Read(packet).ExtensionData.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void TryRemapExtensionIds_RefusesAnIdTheFormCannotCarryAndChangesNothing()
    {
        byte[] before = ChromeVideo;
        byte[] after = ChromeVideo;
        byte[] map = new byte[16];
        map[2] = 4;
        map[3] = 20;

        Assert.False(Create(after).TryRemapExtensionIds(map));

        Assert.Empty(Differences(before, after));
    }

    [Fact]
    public void TryRemapExtensionIds_RefusesAMalformedBlockAndChangesNothing()
    {
        // The second element claims 4 bytes where only 2 remain in the block.
        byte[] before = Hex("90600001 00000002 00000003 bede0001 10aa 23bb 9999");
        byte[] after = (byte[])before.Clone();
        byte[] map = [0, 5, 6, 7];

        Assert.False(Create(after).TryRemapExtensionIds(map));

        Assert.Empty(Differences(before, after));
    }

    [Fact]
    public void TryCreate_RefusesAPacketWhoseHeaderDoesNotRead()
    {
        byte[] packet = Hex("90600001 00000002 00000003 bede00ff");

        Assert.False(RtpPacketRewriter.TryCreate(packet, out _));
        Assert.False(RtpPacketRewriter.TryCreate(packet.AsSpan(0, 11), out _));
    }

    private static RtpPacketRewriter Create(byte[] packet)
    {
        Assert.True(RtpPacketRewriter.TryCreate(packet, out RtpPacketRewriter rewriter));
        return rewriter;
    }

    private static RtpPacketReader Read(byte[] packet)
    {
        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader reader));
        return reader;
    }
}
