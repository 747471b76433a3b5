using System.Buffers.Binary;
using Relay.Protocols.Demux;
using Relay.Protocols.Rtp;

namespace Relay.Protocols.Tests.Rtp;

public class RtpAllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void ParseWalkAndRewrite_AllocateNothing()
    {
        byte[] packet = RtpTestPackets.ChromeVideo;
        byte[] map = new byte[16];
        map[2] = 4;
        map[3] = 5;
        byte[] back = new byte[16];
        back[4] = 2;
        back[5] = 3;

        long checksum = ParseWalkAndRewrite(packet, map, back, 100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += ParseWalkAndRewrite(packet, map, back, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void WritingAPacket_AllocatesNothing()
    {
        byte[] payload = new byte[1200];
        byte[] destination = new byte[1500];
        uint[] csrcs = [1, 2];

        long checksum = WritePackets(payload, destination, csrcs, 100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum += WritePackets(payload, destination, csrcs, Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static long ParseWalkAndRewrite(byte[] packet, byte[] map, byte[] back, int iterations)
    {
        long checksum = 0;
        Span<byte> sequence = stackalloc byte[2];
        for (int i = 0; i < iterations; i++)
        {
            checksum += (int)PacketClassifier.Classify(packet);
            if (!RtpPacketReader.TryRead(packet, out RtpPacketReader reader))
            {
                return 0;
            }

            checksum += reader.Header.SequenceNumber + reader.Payload.Length;
            foreach (RtpExtensionElement element in reader.GetExtensions())
            {
                checksum += element.Id + element.Data.Length;
            }

            if (reader.TryGetExtension(3, out ReadOnlySpan<byte> transportCc))
            {
                checksum += transportCc[1];
            }

            if (!RtpPacketRewriter.TryCreate(packet, out RtpPacketRewriter rewriter))
            {
                return 0;
            }

            rewriter.SetSsrc((uint)i);
            rewriter.SetPayloadType(100);
            rewriter.SetSequenceNumber((ushort)i);
            rewriter.SetTimestamp((uint)i * 3000);
            rewriter.SetMarker((i & 1) == 0);
            BinaryPrimitives.WriteUInt16BigEndian(sequence, (ushort)i);
            checksum += rewriter.TrySetExtensionValue(3, sequence) ? 1 : 0;
            checksum += rewriter.TryRemapExtensionIds(map) ? 1 : 0;
            checksum += rewriter.TryRemapExtensionIds(back) ? 1 : 0;
        }

        return checksum;
    }

    private static long WritePackets(byte[] payload, byte[] destination, uint[] csrcs, int iterations)
    {
        long checksum = 0;
        ReadOnlySpan<byte> absSendTime = [1, 2, 3];
        for (int i = 0; i < iterations; i++)
        {
            var writer = new RtpPacketWriter
            {
                PayloadType = 96,
                SequenceNumber = (ushort)i,
                Ssrc = 7,
                Csrcs = csrcs,
                Payload = payload,
                PaddingLength = 4,
            };
            writer.AddExtension(2, absSendTime);
            writer.AddExtension(3, [(byte)(i >> 8), (byte)i]);
            if (writer.TryWrite(destination, out int written))
            {
                checksum += written;
            }
        }

        return checksum;
    }
}
