using System.Buffers.Binary;
using Relay.Protocols.Stun;

namespace Relay.Transport.Tests.Ice;

/// <summary>
/// Builds requests attribute by attribute for what the writer will not produce (unknown attributes,
/// no PRIORITY), then appends MESSAGE-INTEGRITY and FINGERPRINT with the public append methods.
/// </summary>
internal sealed class RawStunMessage
{
    private readonly List<byte> _bytes = [];

    public RawStunMessage(ushort type = 0x0001, byte transactionByte = 7)
    {
        _bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 0, 0x21, 0x12, 0xA4, 0x42]);
        _bytes.AddRange(Enumerable.Repeat(transactionByte, 12));
    }

    public RawStunMessage Add(ushort type, byte[] value)
    {
        _bytes.AddRange([(byte)(type >> 8), (byte)type, (byte)(value.Length >> 8), (byte)value.Length]);
        _bytes.AddRange(value);
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }

        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes).Slice(2), (ushort)(_bytes.Count - 20));
        return this;
    }

    public RawStunMessage Add(StunAttributeType type, byte[] value) => Add((ushort)type, value);

    public byte[] ToArray() => [.. _bytes];

    public byte[] WithIntegrityAndFingerprint(ReadOnlySpan<byte> key)
    {
        byte[] buffer = [.. _bytes, .. new byte[StunMessageIntegrity.AttributeLength + StunFingerprint.AttributeLength]];
        Assert.True(StunMessageIntegrity.TryAppend(buffer, _bytes.Count, key, out int length));
        Assert.True(StunFingerprint.TryAppend(buffer, length, out length));
        return buffer.AsSpan(0, length).ToArray();
    }
}
