using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>One SDES chunk: an SSRC or CSRC and its items (layout on <see cref="SourceDescription"/>).</summary>
public readonly ref struct SourceDescriptionChunk
{
    private readonly ReadOnlySpan<byte> _chunk;

    internal SourceDescriptionChunk(ReadOnlySpan<byte> chunk)
    {
        _chunk = chunk;
    }

    /// <summary>The source the items describe.</summary>
    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_chunk);

    /// <summary>The items in order, up to the END octet.</summary>
    public SourceDescriptionItemEnumerator Items => new(_chunk.Slice(4));

    /// <summary>Finds the first item of <paramref name="type"/> (for example the CNAME).</summary>
    public bool TryGetItem(SdesItemType type, out ReadOnlySpan<byte> value)
    {
        foreach (SourceDescriptionItem item in Items)
        {
            if (item.Type == type)
            {
                value = item.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
