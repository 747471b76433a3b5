using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Walks every sequence number of transport-wide CC feedback accepted by <see cref="TransportCcFeedback.TryRead"/>,
/// decoding chunks and receive deltas as it goes, without allocating.
/// </summary>
public ref struct TransportCcPacketEnumerator
{
    private readonly ReadOnlySpan<byte> _chunks;
    private readonly ReadOnlySpan<byte> _deltas;
    private int _chunkOffset;
    private int _deltaOffset;
    private int _remaining;
    private int _chunk;
    private int _symbolIndex;
    private int _symbolsLeft;
    private ushort _sequenceNumber;
    private long _arrivalTime;
    private TransportCcPacket _current;

    internal TransportCcPacketEnumerator(ReadOnlySpan<byte> chunks, ReadOnlySpan<byte> deltas, ushort baseSequenceNumber, int statusCount, long referenceTime)
    {
        _chunks = chunks;
        _deltas = deltas;
        _chunkOffset = 0;
        _deltaOffset = 0;
        _remaining = statusCount;
        _chunk = 0;
        _symbolIndex = 0;
        _symbolsLeft = 0;
        _sequenceNumber = baseSequenceNumber;
        _arrivalTime = referenceTime;
        _current = default;
    }

    public readonly TransportCcPacket Current => _current;

    public readonly TransportCcPacketEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }

        while (_symbolsLeft == 0)
        {
            // A run length of 0 is legal and covers nothing, hence the loop.
            _chunk = BinaryPrimitives.ReadUInt16BigEndian(_chunks.Slice(_chunkOffset));
            _chunkOffset += 2;
            _symbolIndex = 0;
            _symbolsLeft = (_chunk & 0x8000) == 0 ? _chunk & TransportCcFeedback.MaxRunLength : (_chunk & 0x4000) == 0 ? 14 : 7;
        }

        int symbol;
        if ((_chunk & 0x8000) == 0)
        {
            symbol = (_chunk >> 13) & 3;
        }
        else if ((_chunk & 0x4000) == 0)
        {
            symbol = (_chunk >> (13 - _symbolIndex)) & 1;
        }
        else
        {
            symbol = (_chunk >> (12 - (2 * _symbolIndex))) & 3;
        }

        _symbolIndex++;
        _symbolsLeft--;

        int delta = 0;
        long arrival = 0;
        if (symbol == (int)TransportCcStatus.ReceivedSmallDelta)
        {
            delta = _deltas[_deltaOffset];
            _deltaOffset++;
        }
        else if (symbol == (int)TransportCcStatus.ReceivedLargeDelta)
        {
            delta = BinaryPrimitives.ReadInt16BigEndian(_deltas.Slice(_deltaOffset));
            _deltaOffset += 2;
        }

        if (symbol != (int)TransportCcStatus.NotReceived)
        {
            _arrivalTime += (long)delta * TransportCcFeedback.DeltaTickMicroseconds;
            arrival = _arrivalTime;
        }

        _current = new TransportCcPacket(_sequenceNumber, (TransportCcStatus)symbol, delta, arrival);
        _sequenceNumber++;
        _remaining--;
        return true;
    }
}
