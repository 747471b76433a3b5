using System.Globalization;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtp;

namespace Relay.Media.Tests;

/// <summary>Builds RTP packets and leases for the media tests, and loads the captured packets in TestData.</summary>
internal static class TestRtp
{
    public static byte[] Packet(ushort sequenceNumber, uint timestamp = 0, uint ssrc = 0x1234, byte payloadType = 96, bool marker = false, ReadOnlySpan<byte> payload = default, int extraBytes = 0)
    {
        byte[] body = payload.IsEmpty ? new byte[Math.Max(1, extraBytes)] : payload.ToArray();
        var writer = new RtpPacketWriter
        {
            SequenceNumber = sequenceNumber,
            Timestamp = timestamp,
            Ssrc = ssrc,
            PayloadType = payloadType,
            Marker = marker,
            Payload = body,
        };
        writer.AddExtension(3, [(byte)(sequenceNumber >> 8), (byte)sequenceNumber]);
        byte[] packet = new byte[writer.GetSerializedLength()];
        Assert.True(writer.TryWrite(packet, out _));
        return packet;
    }

    public static PacketLease Lease(PacketBufferPool pool, ushort sequenceNumber, uint timestamp = 0, uint ssrc = 0x1234, long arrival = 0)
    {
        byte[] packet = Packet(sequenceNumber, timestamp, ssrc);
        PacketLease lease = pool.Rent();
        packet.CopyTo(lease.Buffer);
        lease.SetLength(packet.Length);
        lease.Timestamp = arrival;
        return lease;
    }

    public static RtpHeader Header(ReadOnlySpan<byte> packet)
    {
        Assert.True(RtpHeader.TryRead(packet, out RtpHeader header));
        return header;
    }

    public static ushort SequenceOf(PacketLease lease) => Header(lease.Span).SequenceNumber;

    /// <summary>The packets of a capture in TestData: one hex packet per line, '#' lines are comments.</summary>
    public static byte[][] LoadCapture(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", fileName);
        return File.ReadAllLines(path)
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(Convert.FromHexString)
            .ToArray();
    }

    /// <summary>The RTP payload of a captured packet.</summary>
    public static byte[] PayloadOf(byte[] packet)
    {
        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader reader));
        return reader.Payload.ToArray();
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);
}
