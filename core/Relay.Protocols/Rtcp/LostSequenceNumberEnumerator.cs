using System.Buffers.Binary;
using System.Numerics;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Walks every sequence number a generic NACK reports lost, pair by pair and in increasing order within a
/// pair (wrapping past 65535 to 0), without allocating.
/// </summary>
public ref struct LostSequenceNumberEnumerator
{
    private readonly ReadOnlySpan<byte> _pairs;
    private int _offset;
    private ushort _packetId;

    // Bit 0 stands for the PID itself, bit i + 1 for BLP bit i; bits are cleared as they are handed out.
    private uint _pending;
    private ushort _current;

    internal LostSequenceNumberEnumerator(ReadOnlySpan<byte> pairs)
    {
        _pairs = pairs;
        _offset = 0;
        _packetId = 0;
        _pending = 0;
        _current = 0;
    }

    public readonly ushort Current => _current;

    public readonly LostSequenceNumberEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_pending == 0)
        {
            if (_pairs.Length - _offset < 4)
            {
                return false;
            }

            _packetId = BinaryPrimitives.ReadUInt16BigEndian(_pairs.Slice(_offset));
            _pending = 1u | ((uint)BinaryPrimitives.ReadUInt16BigEndian(_pairs.Slice(_offset + 2)) << 1);
            _offset += 4;
        }

        int bit = BitOperations.TrailingZeroCount(_pending);
        _pending &= _pending - 1;
        _current = (ushort)(_packetId + bit);
        return true;
    }
}
