namespace Relay.Media.Tests;

public class Vp8PayloadDescriptorTests
{
    // A keyframe's first bytes: descriptor with every optional field (X; I with a 15-bit picture id,
    // L, T and K), then a VP8 frame tag with P = 0, the start code and 640x480.
    private static readonly byte[] s_fullKeyframe = TestRtp.Hex("90 f0 81 23 45 b3 10 02 00 9d 01 2a 80 02 e0 01 aa bb");

    [Fact]
    public void MinimalDescriptor_IsOneByte()
    {
        Assert.True(Vp8PayloadDescriptor.TryRead([0x10, 0x00], out Vp8PayloadDescriptor descriptor));
        Assert.Equal(1, descriptor.Length);
        Assert.True(descriptor.IsStartOfPartition);
        Assert.Equal(0, descriptor.PartitionIndex);
        Assert.True(descriptor.IsFrameStart);
        Assert.False(descriptor.HasPictureId);
        Assert.False(descriptor.IsNonReference);
    }

    [Fact]
    public void EveryOptionalField_IsRead()
    {
        Assert.True(Vp8PayloadDescriptor.TryRead(s_fullKeyframe, out Vp8PayloadDescriptor descriptor));
        Assert.Equal(6, descriptor.Length);
        Assert.True(descriptor.HasPictureId);
        Assert.True(descriptor.HasLongPictureId);
        Assert.Equal(0x0123, descriptor.PictureId);
        Assert.True(descriptor.HasTl0PicIndex);
        Assert.Equal(0x45, descriptor.Tl0PicIndex);
        Assert.True(descriptor.HasTemporalLayer);
        Assert.Equal(2, descriptor.TemporalLayer);
        Assert.True(descriptor.IsLayerSync);
        Assert.True(descriptor.HasKeyIndex);
        Assert.Equal(0x13, descriptor.KeyIndex);
        Assert.True(Vp8PayloadDescriptor.IsKeyframeStart(s_fullKeyframe));
    }

    [Fact]
    public void ShortPictureId_UsesSevenBits()
    {
        Assert.True(Vp8PayloadDescriptor.TryRead([0x90, 0x80, 0x7F, 0xAA], out Vp8PayloadDescriptor descriptor));
        Assert.Equal(3, descriptor.Length);
        Assert.False(descriptor.HasLongPictureId);
        Assert.Equal(0x7F, descriptor.PictureId);
    }

    [Fact]
    public void KeyIndexWithoutTemporalLayer_ReadsTheSharedByte()
    {
        Assert.True(Vp8PayloadDescriptor.TryRead([0x80, 0x10, 0xFF, 0x00], out Vp8PayloadDescriptor descriptor));
        Assert.Equal(3, descriptor.Length);
        Assert.False(descriptor.HasTemporalLayer);
        Assert.Equal(0, descriptor.TemporalLayer);
        Assert.False(descriptor.IsLayerSync);
        Assert.Equal(0x1F, descriptor.KeyIndex);
        Assert.False(descriptor.IsFrameStart);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0 }, "S = 0: continues a partition")]
    [InlineData(new byte[] { 0x11, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0 }, "PID = 1: a later partition")]
    [InlineData(new byte[] { 0x10, 0x11, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0 }, "P = 1: an interframe")]
    [InlineData(new byte[] { 0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2b, 0, 0, 0, 0 }, "bad start code")]
    [InlineData(new byte[] { 0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0 }, "keyframe header cut short")]
    public void NotAKeyframeStart(byte[] payload, string why)
    {
        Assert.False(Vp8PayloadDescriptor.IsKeyframeStart(payload), why);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x10 })]
    [InlineData(new byte[] { 0x90 })]
    [InlineData(new byte[] { 0x90, 0x80 })]
    [InlineData(new byte[] { 0x90, 0x80, 0x81 })]
    [InlineData(new byte[] { 0x90, 0x80, 0x81, 0x00 })]
    [InlineData(new byte[] { 0x90, 0x40 })]
    [InlineData(new byte[] { 0x90, 0x20 })]
    [InlineData(new byte[] { 0x90, 0x10, 0x00 })]
    public void MissingAnnouncedBytes_OrNoVp8Data_AreRejected(byte[] payload)
    {
        Assert.False(Vp8PayloadDescriptor.TryRead(payload, out _));
        Assert.False(Vp8PayloadDescriptor.IsKeyframeStart(payload));
    }

    [Fact]
    public void FfmpegCapture_TheFirstPacketIsTheOnlyKeyframeStart()
    {
        byte[][] packets = TestRtp.LoadCapture("ffmpeg-vp8.hex");
        Assert.Equal(19, packets.Length);
        int[] frameStarts = [0, 13, 16];
        for (int i = 0; i < packets.Length; i++)
        {
            byte[] payload = TestRtp.PayloadOf(packets[i]);
            Assert.True(Vp8PayloadDescriptor.TryRead(payload, out Vp8PayloadDescriptor descriptor), $"packet {i}");
            Assert.Equal(4, descriptor.Length);
            Assert.True(descriptor.HasLongPictureId);
            Assert.Equal(frameStarts.Contains(i), descriptor.IsFrameStart);
            Assert.Equal(i == 0, Vp8PayloadDescriptor.IsKeyframeStart(payload));
        }

        // The keyframe's header carries the start code and the encoded 320x240.
        byte[] first = TestRtp.PayloadOf(packets[0]);
        Assert.Equal("9d012a4001f000", TestRtp.ToHex(first.AsSpan(7, 7)));
    }
}
