using Relay.Protocols.Rtp;
using static Relay.Protocols.Tests.Rtp.RtpTestPackets;

namespace Relay.Protocols.Tests.Rtp;

public class RtpPacketWriterTests
{
    private static readonly byte[] s_sixteenAb = Enumerable.Repeat((byte)0xAB, 16).ToArray();
    private static readonly uint[] s_rfc9335Csrcs = [0x0001E240, 0x0000B26E];

    [Theory]
    [InlineData(nameof(Rfc9335OneByte), 0x1235, false, false)]
    [InlineData(nameof(Rfc9335TwoByte), 0x1236, true, false)]
    [InlineData(nameof(Rfc9335OneByteWithCsrcs), 0x1238, false, true)]
    [InlineData(nameof(Rfc9335TwoByteWithCsrcs), 0x1239, true, true)]
    public void TryWrite_ReproducesTheRfc9335Packets(string name, int sequenceNumber, bool twoByte, bool csrcs)
    {
        var writer = new RtpPacketWriter
        {
            PayloadType = 15,
            SequenceNumber = (ushort)sequenceNumber,
            Timestamp = 0xDECAFBAD,
            Ssrc = 0xCAFEBABE,
            Csrcs = csrcs ? s_rfc9335Csrcs : default,
            Payload = s_sixteenAb,
            UseTwoByteExtensions = twoByte,
        };
        writer.AddExtension(5, [0x00, 0x02]);

        Assert.Equal(Convert.ToHexString(ByName(name)), Convert.ToHexString(Write(ref writer)));
    }

    [Fact]
    public void TryWrite_ReproducesTheChromeStylePacket()
    {
        var writer = new RtpPacketWriter
        {
            Marker = true,
            PayloadType = 96,
            SequenceNumber = 0x1234,
            Timestamp = 90000,
            Ssrc = ChromeVideoSsrc,
            Payload = [0x10, 0x02, 0x03, 0x04, 0x05],
            PaddingLength = 3,
        };
        writer.AddExtension(2, [0x12, 0x34, 0x56]);
        writer.AddExtension(3, [0x00, 0x2A]);

        Assert.Equal(RtpExtensionForm.OneByte, writer.ExtensionForm);
        Assert.Equal(Convert.ToHexString(ChromeVideo), Convert.ToHexString(Write(ref writer)));
    }

    [Theory]
    [InlineData(15, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 17)]
    public void AddExtension_ChoosesTheTwoByteFormWhenAnElementDoesNotFitOneByte(int id, int length)
    {
        var writer = new RtpPacketWriter();
        writer.AddExtension(2, [0xAA]);
        Assert.Equal(RtpExtensionForm.OneByte, writer.ExtensionForm);

        writer.AddExtension((byte)id, new byte[length]);

        Assert.Equal(RtpExtensionForm.TwoByte, writer.ExtensionForm);
        byte[] packet = Write(ref writer);
        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader reader));
        Assert.Equal(RtpExtensionForm.TwoByte, reader.ExtensionForm);
        Assert.Equal([(2, "AA"), (id, Convert.ToHexString(new byte[length]))], RtpPacketReaderTests.Elements(reader));
    }

    [Fact]
    public void TryWrite_PutsAppBitsInTheTwoByteProfile()
    {
        var writer = new RtpPacketWriter { UseTwoByteExtensions = true, ExtensionAppBits = 0x0A };
        writer.AddExtension(1, [1]);

        byte[] packet = Write(ref writer);

        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader reader));
        Assert.Equal(0x100A, reader.ExtensionProfile);
    }

    [Fact]
    public void RoundTrip_ReadsBackEveryCombinationOfParts()
    {
        uint[][] csrcSets = [[], [7], Enumerable.Range(1, 15).Select(i => (uint)i * 0x01010101u).ToArray()];
        int[] paddings = [0, 1, 4, 255];
        int[] payloadLengths = [0, 1, 3, 1200];
        (byte Id, byte[] Data)[][] extensionSets =
        [
            [],
            [(2, [1, 2, 3]), (3, [4, 5])],
            [(1, [9]), (14, Enumerable.Range(0, 16).Select(i => (byte)i).ToArray())],
            [(1, []), (200, Enumerable.Range(0, 255).Select(i => (byte)i).ToArray()), (15, [1])],
        ];

        byte[] destination = new byte[2000];
        foreach (uint[] csrcs in csrcSets)
        {
            foreach ((byte Id, byte[] Data)[] extensions in extensionSets)
            {
                foreach (int padding in paddings)
                {
                    foreach (int payloadLength in payloadLengths)
                    {
                        foreach (bool twoByte in (bool[])[false, true])
                        {
                            byte[] payload = Enumerable.Range(0, payloadLength).Select(i => (byte)(i * 7)).ToArray();
                            var writer = new RtpPacketWriter
                            {
                                Marker = payloadLength % 2 == 1,
                                PayloadType = 111,
                                SequenceNumber = 65535,
                                Timestamp = uint.MaxValue,
                                Ssrc = 0x80000001,
                                Csrcs = csrcs,
                                Payload = payload,
                                PaddingLength = padding,
                                UseTwoByteExtensions = twoByte,
                            };
                            foreach ((byte id, byte[] data) in extensions)
                            {
                                writer.AddExtension(id, data);
                            }

                            Assert.True(writer.TryWrite(destination, out int written));
                            Assert.Equal(writer.GetSerializedLength(), written);

                            Assert.True(RtpPacketReader.TryRead(destination.AsSpan(0, written), out RtpPacketReader reader));
                            Assert.Equal(writer.Marker, reader.Header.Marker);
                            Assert.Equal(111, reader.Header.PayloadType);
                            Assert.Equal(65535, reader.Header.SequenceNumber);
                            Assert.Equal(uint.MaxValue, reader.Header.Timestamp);
                            Assert.Equal(0x80000001u, reader.Header.Ssrc);
                            Assert.Equal(csrcs.Length, reader.CsrcCount);
                            for (int i = 0; i < csrcs.Length; i++)
                            {
                                Assert.Equal(csrcs[i], reader.GetCsrc(i));
                            }

                            Assert.Equal(extensions.Length != 0, reader.HasExtension);
                            Assert.Equal(0, reader.ExtensionData.Length % 4);
                            Assert.Equal(
                                extensions.Select(e => ((int)e.Id, Convert.ToHexString(e.Data))).ToList(),
                                RtpPacketReaderTests.Elements(reader));
                            Assert.False(reader.GetExtensions().IsMalformed);
                            Assert.Equal(padding, reader.PaddingLength);
                            Assert.Equal(payload, reader.Payload.ToArray());
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void TryWrite_RefusesAShortDestinationAndWritesNothing()
    {
        var writer = new RtpPacketWriter { Payload = [1, 2, 3], PaddingLength = 2 };
        writer.AddExtension(1, [1]);
        int length = writer.GetSerializedLength();
        byte[] destination = new byte[length - 1];
        destination.AsSpan().Fill(0xEE);

        Assert.False(writer.TryWrite(destination, out int written));

        Assert.Equal(0, written);
        Assert.True(destination.AsSpan().IndexOfAnyExcept((byte)0xEE) < 0);
    }

    [Fact]
    public void TryWrite_LeavesTheRestOfALargerDestinationAlone()
    {
        var writer = new RtpPacketWriter { Payload = [1, 2, 3] };
        byte[] destination = new byte[64];
        destination.AsSpan().Fill(0xEE);

        Assert.True(writer.TryWrite(destination, out int written));

        Assert.Equal(15, written);
        Assert.True(destination.AsSpan(written).IndexOfAnyExcept((byte)0xEE) < 0);
    }

    [Fact]
    public void ClearExtensions_ForgetsElementsAndTheTwoByteChoice()
    {
        var writer = new RtpPacketWriter();
        writer.AddExtension(200, [1]);
        writer.ClearExtensions();

        Assert.Equal(0, writer.ExtensionCount);
        Assert.Equal(RtpExtensionForm.None, writer.ExtensionForm);
        Assert.Equal(RtpHeader.FixedLength, writer.GetSerializedLength());
    }

    [Fact]
    public void Setters_ThrowForValuesTheWireCannotCarry()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter { PayloadType = 128 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter { Csrcs = new uint[16] });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter { PaddingLength = 256 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter { PaddingLength = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter { ExtensionAppBits = 16 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter().AddExtension(0, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketWriter().AddExtension(1, new byte[256]));
    }

    [Fact]
    public void AddExtension_ThrowsWhenTheWriterIsFull()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new RtpPacketWriter();
            byte[] data = new byte[255];
            writer.AddExtension(1, data);
            writer.AddExtension(2, data);
            writer.AddExtension(3, [1]);
        });
    }

    private static byte[] Write(ref RtpPacketWriter writer)
    {
        byte[] destination = new byte[writer.GetSerializedLength()];
        Assert.True(writer.TryWrite(destination, out int written));
        Assert.Equal(destination.Length, written);
        return destination;
    }
}
