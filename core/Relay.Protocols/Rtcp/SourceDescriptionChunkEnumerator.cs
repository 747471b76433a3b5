namespace Relay.Protocols.Rtcp;

/// <summary>Walks the chunks of an SDES packet that <see cref="SourceDescription.TryRead"/> accepted.</summary>
public ref struct SourceDescriptionChunkEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private SourceDescriptionChunk _current;

    internal SourceDescriptionChunkEnumerator(ReadOnlySpan<byte> chunks)
    {
        _remaining = chunks;
        _current = default;
    }

    public readonly SourceDescriptionChunk Current => _current;

    public readonly SourceDescriptionChunkEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (!SourceDescription.TryMeasureChunk(_remaining, out int length))
        {
            return false;
        }

        _current = new SourceDescriptionChunk(_remaining.Slice(0, length));
        _remaining = _remaining.Slice(length);
        return true;
    }
}
