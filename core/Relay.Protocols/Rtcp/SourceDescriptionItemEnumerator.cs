namespace Relay.Protocols.Rtcp;

/// <summary>Walks the items of one SDES chunk, stopping at the END octet.</summary>
public ref struct SourceDescriptionItemEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private SourceDescriptionItem _current;

    internal SourceDescriptionItemEnumerator(ReadOnlySpan<byte> items)
    {
        _remaining = items;
        _current = default;
    }

    public readonly SourceDescriptionItem Current => _current;

    public readonly SourceDescriptionItemEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        // Checked already by SourceDescription.TryRead; the bounds tests keep a stray caller safe too.
        if (_remaining.Length < 2 || _remaining[0] == (byte)SdesItemType.End || 2 + _remaining[1] > _remaining.Length)
        {
            _remaining = default;
            return false;
        }

        int length = _remaining[1];
        _current = new SourceDescriptionItem((SdesItemType)_remaining[0], _remaining.Slice(2, length));
        _remaining = _remaining.Slice(2 + length);
        return true;
    }
}
