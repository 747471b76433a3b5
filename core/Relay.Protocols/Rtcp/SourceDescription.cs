namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads an SDES: source description (RFC 3550 section 6.5), packet type 202.
/// </summary>
/// <remarks>
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    SC   |  PT=SDES=202  |             length            |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_1                          |
///   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                           SDES items                          |
///        |                              ...                              |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_2                          |
///   2    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                           SDES items                          |
///        |                              ...                              |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///
/// item:   0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |    CNAME=1    |     length    | user and domain name        ...
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Each chunk's item list ends with one or more null octets, the first read as item type 0 (END), the
/// rest padding up to the next 32-bit boundary; so a list that ends exactly on a boundary is followed
/// by a whole word of nulls. <see cref="TryRead"/> walks every chunk and item first, so the
/// enumerators never meet a bad length.
/// </remarks>
public readonly ref struct SourceDescription
{
    private readonly ReadOnlySpan<byte> _payload;

    private SourceDescription(ReadOnlySpan<byte> payload, int chunkCount)
    {
        _payload = payload;
        ChunkCount = chunkCount;
    }

    /// <summary>Number of chunks (SC).</summary>
    public int ChunkCount { get; }

    /// <summary>The chunks in order.</summary>
    public SourceDescriptionChunkEnumerator Chunks => new(_payload);

    /// <summary>
    /// Reads <paramref name="packet"/> as an SDES. Returns false if it is another type, an item runs past
    /// its chunk, a chunk lacks its null terminator or padding, or the chunks do not fill the packet exactly.
    /// </summary>
    public static bool TryRead(RtcpPacket packet, out SourceDescription description)
    {
        description = default;
        if (packet.Type != RtcpPacketType.SourceDescription)
        {
            return false;
        }

        ReadOnlySpan<byte> payload = packet.Payload;
        int offset = 0;
        for (int i = 0; i < packet.Count; i++)
        {
            if (!TryMeasureChunk(payload.Slice(offset), out int chunkLength))
            {
                return false;
            }

            offset += chunkLength;
        }

        if (offset != payload.Length)
        {
            return false;
        }

        description = new SourceDescription(payload, packet.Count);
        return true;
    }

    /// <summary>Finds the length of the chunk at the start of <paramref name="data"/>, terminator and padding included.</summary>
    internal static bool TryMeasureChunk(ReadOnlySpan<byte> data, out int chunkLength)
    {
        chunkLength = 0;
        int offset = 4;
        while (offset < data.Length)
        {
            if (data[offset] == (byte)SdesItemType.End)
            {
                // Pad from just after the END octet to the next 32-bit boundary.
                int end = RtcpHeader.AlignTo32Bits(offset + 1);
                if (end > data.Length)
                {
                    return false;
                }

                chunkLength = end;
                return true;
            }

            if (offset + 2 > data.Length)
            {
                return false;
            }

            offset += 2 + data[offset + 1];
        }

        return false;
    }
}
