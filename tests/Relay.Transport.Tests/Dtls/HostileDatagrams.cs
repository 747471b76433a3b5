using System.Buffers.Binary;

namespace Relay.Transport.Tests.Dtls;

/// <summary>Seeded hostile datagrams: plain random bytes, and random records with well-formed headers that get past the transport's screening into OpenSSL.</summary>
internal static class HostileDatagrams
{
    public static byte[] RandomBytes(Random random)
    {
        byte[] datagram = new byte[random.Next(0, 1500)];
        random.NextBytes(datagram);
        return datagram;
    }

    /// <summary>
    /// One to three records with valid headers (content type 20 to 23, DTLS 1.0 or 1.2, the given
    /// epochs) and random fragments, so OpenSSL itself has to reject them.
    /// </summary>
    public static byte[] RandomRecords(Random random, int minEpoch, int maxEpoch, byte[]? contentTypes = null)
    {
        int count = random.Next(1, 4);
        var datagram = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            byte[] fragment = new byte[random.Next(0, 400)];
            random.NextBytes(fragment);
            datagram.AddRange(Record(
                contentTypes is null ? (byte)random.Next(20, 24) : contentTypes[random.Next(contentTypes.Length)],
                (ushort)random.Next(minEpoch, maxEpoch + 1),
                (ulong)random.NextInt64(0, 1L << 48),
                fragment,
                random.Next(2) == 0 ? (ushort)0xFEFD : (ushort)0xFEFF));
        }

        return [.. datagram];
    }

    public static byte[] Record(byte contentType, ushort epoch, ulong sequence, ReadOnlySpan<byte> fragment, ushort version = 0xFEFD)
    {
        byte[] record = new byte[13 + fragment.Length];
        record[0] = contentType;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), version);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), epoch);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(5), (ushort)(sequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(7), (uint)sequence);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)fragment.Length);
        fragment.CopyTo(record.AsSpan(13));
        return record;
    }

    /// <summary>A copy of a ClientHello datagram with a new record sequence number and a new client random, so each differs.</summary>
    public static byte[] VaryClientHello(byte[] clientHello, Random random)
    {
        byte[] copy = (byte[])clientHello.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(7), (uint)random.Next());

        // Record header (13), handshake header (12), client_version (2), then the 32-byte random.
        random.NextBytes(copy.AsSpan(13 + 12 + 2, 32));
        return copy;
    }
}
