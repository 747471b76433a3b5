namespace Relay.Protocols.Rtcp;

/// <summary>Walks the report blocks of an SR or RR without allocating.</summary>
public ref struct ReportBlockEnumerator
{
    private readonly ReadOnlySpan<byte> _blocks;
    private int _offset;
    private ReportBlock _current;

    internal ReportBlockEnumerator(ReadOnlySpan<byte> blocks)
    {
        _blocks = blocks;
        _offset = 0;
        _current = default;
    }

    public readonly ReportBlock Current => _current;

    public readonly ReportBlockEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_blocks.Length - _offset < ReportBlock.Length)
        {
            return false;
        }

        _current = ReportBlock.Read(_blocks.Slice(_offset));
        _offset += ReportBlock.Length;
        return true;
    }
}
