using System.Buffers.Binary;

namespace Relay.Protocols.Stun;

/// <summary>
/// Walks the attributes of a message <see cref="StunMessageReader"/> has already checked, so it
/// needs no length checks of its own. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are
/// skipped: RFC 8489 section 14.5 says to ignore them, and they are not authenticated.
/// </summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly int _ignoreFrom;
    private int _offset;
    private StunAttribute _current;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message, int ignoreFrom)
    {
        _message = message;
        _ignoreFrom = ignoreFrom;
        _offset = StunMessageReader.HeaderLength;
        _current = default;
    }

    public readonly StunAttribute Current => _current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_offset < _message.Length)
        {
            int start = _offset;
            var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(start));
            int length = BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(start + 2));
            _offset = start + 4 + StunMessageReader.Pad(length);
            if (start >= _ignoreFrom && type != StunAttributeType.Fingerprint)
            {
                continue;
            }

            _current = new StunAttribute(type, start, _message.Slice(start + 4, length));
            return true;
        }

        return false;
    }
}
