using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes a BYE (RFC 3550 section 6.6), padding the reason with nulls to a 32-bit boundary.
/// </summary>
/// <remarks>
/// <code>
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |V=2|P|    SC   |   PT=BYE=203  |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                           SSRC/CSRC                           |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       :                              ...                              :
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// (opt) |     length    |               reason for leaving            ...
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct GoodbyeWriter : IRtcpPacketWriter
{
    private readonly ReadOnlySpan<uint> _ssrcs;
    private readonly ReadOnlySpan<byte> _reason;

    /// <param name="ssrcs">The sources leaving, at most 31.</param>
    /// <param name="reason">An optional reason as UTF-8, at most 255 octets; empty writes none.</param>
    public GoodbyeWriter(ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason = default)
    {
        RtcpHeader.EnsureCount(ssrcs.Length, nameof(ssrcs));
        if (reason.Length > byte.MaxValue)
        {
            ThrowHelper.ThrowArgument("A BYE reason holds at most 255 octets.", nameof(reason));
        }

        _ssrcs = ssrcs;
        _reason = reason;
    }

    public int GetSerializedLength()
    {
        int length = RtcpHeader.Length + (_ssrcs.Length * 4);
        return _reason.IsEmpty ? length : RtcpHeader.AlignTo32Bits(length + 1 + _reason.Length);
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.Write(destination, _ssrcs.Length, RtcpPacketType.Goodbye, length);
        int offset = RtcpHeader.Length;
        foreach (uint ssrc in _ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset), ssrc);
            offset += 4;
        }

        if (!_reason.IsEmpty)
        {
            destination[offset] = (byte)_reason.Length;
            _reason.CopyTo(destination.Slice(offset + 1));
            offset += 1 + _reason.Length;
            destination.Slice(offset, length - offset).Clear();
        }

        written = length;
        return true;
    }
}
