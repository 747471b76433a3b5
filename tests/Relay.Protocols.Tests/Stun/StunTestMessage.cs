using System.Buffers.Binary;
using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

/// <summary>
/// Builds messages byte by byte for tests that need what the writer will not produce: attributes after
/// MESSAGE-INTEGRITY, duplicates, unknown types, wrong lengths.
/// </summary>
internal sealed class StunTestMessage
{
    private readonly List<byte> _bytes = [];

    public StunTestMessage(ushort type = 0x0001, byte[]? transactionId = null)
    {
        _bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 0, 0x21, 0x12, 0xA4, 0x42]);
        _bytes.AddRange(transactionId ?? Rfc5769.TransactionId);
    }

    public StunTestMessage Add(StunAttributeType type, params byte[] value) => Add((ushort)type, value);

    public StunTestMessage Add(ushort type, params byte[] value)
    {
        _bytes.AddRange([(byte)(type >> 8), (byte)type, (byte)(value.Length >> 8), (byte)value.Length]);
        _bytes.AddRange(value);
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }

        return SetLength();
    }

    public StunTestMessage AddUInt32(StunAttributeType type, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Add(type, bytes);
    }

    public StunTestMessage AddUInt64(StunAttributeType type, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Add(type, bytes);
    }

    public StunTestMessage AddIntegrity(byte[] key)
    {
        byte[] buffer = [.. _bytes, .. new byte[StunMessageIntegrity.AttributeLength]];
        Assert.True(StunMessageIntegrity.TryAppend(buffer, _bytes.Count, key, out int length));
        _bytes.Clear();
        _bytes.AddRange(buffer.AsSpan(0, length).ToArray());
        return this;
    }

    public StunTestMessage AddFingerprint()
    {
        byte[] buffer = [.. _bytes, .. new byte[StunFingerprint.AttributeLength]];
        Assert.True(StunFingerprint.TryAppend(buffer, _bytes.Count, out int length));
        _bytes.Clear();
        _bytes.AddRange(buffer.AsSpan(0, length).ToArray());
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private StunTestMessage SetLength()
    {
        int length = _bytes.Count - 20;
        _bytes[2] = (byte)(length >> 8);
        _bytes[3] = (byte)length;
        return this;
    }
}
