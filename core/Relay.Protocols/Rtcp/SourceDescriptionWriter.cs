using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes an SDES (RFC 3550 section 6.5), ending each chunk with a null octet and null padding to a
/// 32-bit boundary.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    CNAME=1    |     length    | user and domain name        ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ... items ...  |  END=0  |  null padding to a 32-bit boundary  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// The full diagram is on <see cref="SourceDescription"/>.
/// </remarks>
public readonly ref struct SourceDescriptionWriter : IRtcpPacketWriter
{
    private readonly ReadOnlySpan<SourceDescriptionEntry> _entries;
    private readonly ReadOnlySpan<byte> _cname;
    private readonly uint _ssrc;
    private readonly int _chunkCount;
    private readonly int _length;

    /// <summary>One chunk holding one CNAME item: what each RTCP interval sends beside the SR or RR.</summary>
    /// <param name="ssrc">The source.</param>
    /// <param name="cname">The CNAME as UTF-8, at most 255 octets.</param>
    public SourceDescriptionWriter(uint ssrc, ReadOnlySpan<byte> cname)
    {
        EnsureItemLength(cname.Length, nameof(cname));
        _entries = default;
        _ssrc = ssrc;
        _cname = cname;
        _chunkCount = 1;
        _length = RtcpHeader.Length + ChunkLength(2 + cname.Length);
    }

    /// <summary>Any chunks and items: consecutive entries with the same SSRC form one chunk, at most 31 chunks.</summary>
    public SourceDescriptionWriter(ReadOnlySpan<SourceDescriptionEntry> entries)
    {
        if (entries.IsEmpty)
        {
            ThrowHelper.ThrowArgument("An SDES packet needs at least one item.", nameof(entries));
        }

        int chunkCount = 0;
        long length = RtcpHeader.Length;
        int start = 0;
        while (start < entries.Length)
        {
            int itemsLength = 0;
            int end = start;
            do
            {
                SourceDescriptionEntry entry = entries[end];
                if (entry.Type == SdesItemType.End)
                {
                    ThrowHelper.ThrowArgument("END is not an item; the writer adds it.", nameof(entries));
                }

                EnsureItemLength(entry.Value.Length, nameof(entries));
                itemsLength += 2 + entry.Value.Length;
                end++;
            }
            while (end < entries.Length && entries[end].Ssrc == entries[start].Ssrc);

            chunkCount++;
            length += ChunkLength(itemsLength);
            start = end;
        }

        RtcpHeader.EnsureCount(chunkCount, nameof(entries));
        RtcpHeader.EnsureFits(length, nameof(entries));
        _entries = entries;
        _ssrc = 0;
        _cname = default;
        _chunkCount = chunkCount;
        _length = (int)length;
    }

    public int GetSerializedLength() => _length;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < _length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.Write(destination, _chunkCount, RtcpPacketType.SourceDescription, _length);
        int offset = RtcpHeader.Length;
        if (_entries.IsEmpty)
        {
            offset = WriteChunkStart(destination, offset, _ssrc);
            offset = WriteItem(destination, offset, SdesItemType.Cname, _cname);
            offset = WriteChunkEnd(destination, offset);
        }
        else
        {
            for (int i = 0; i < _entries.Length; i++)
            {
                SourceDescriptionEntry entry = _entries[i];
                if (i == 0 || entry.Ssrc != _entries[i - 1].Ssrc)
                {
                    if (i != 0)
                    {
                        offset = WriteChunkEnd(destination, offset);
                    }

                    offset = WriteChunkStart(destination, offset, entry.Ssrc);
                }

                offset = WriteItem(destination, offset, entry.Type, entry.Value.Span);
            }

            offset = WriteChunkEnd(destination, offset);
        }

        written = offset;
        return true;
    }

    /// <summary>SSRC, items, then the END octet and nulls to the next 32-bit boundary.</summary>
    private static int ChunkLength(int itemsLength) => RtcpHeader.AlignTo32Bits(4 + itemsLength + 1);

    private static int WriteChunkStart(Span<byte> destination, int offset, uint ssrc)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset), ssrc);
        return offset + 4;
    }

    private static int WriteItem(Span<byte> destination, int offset, SdesItemType type, ReadOnlySpan<byte> value)
    {
        destination[offset] = (byte)type;
        destination[offset + 1] = (byte)value.Length;
        value.CopyTo(destination.Slice(offset + 2));
        return offset + 2 + value.Length;
    }

    private static int WriteChunkEnd(Span<byte> destination, int offset)
    {
        // Chunks start on 32-bit boundaries relative to the packet, so aligning the offset aligns the chunk.
        int end = RtcpHeader.AlignTo32Bits(offset + 1);
        destination.Slice(offset, end - offset).Clear();
        return end;
    }

    private static void EnsureItemLength(int length, string paramName)
    {
        if (length > byte.MaxValue)
        {
            ThrowHelper.ThrowArgument("An SDES item value holds at most 255 octets.", paramName);
        }
    }
}
