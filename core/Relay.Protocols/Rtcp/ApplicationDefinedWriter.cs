using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>Writes an APP packet (RFC 3550 section 6.7).</summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| subtype |   PT=APP=204  |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SSRC/CSRC                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          name (ASCII)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   application-dependent data                ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct ApplicationDefinedWriter : IRtcpPacketWriter
{
    private const int FixedLength = RtcpHeader.Length + 8;

    private readonly ReadOnlySpan<byte> _name;
    private readonly ReadOnlySpan<byte> _data;

    /// <param name="subtype">0 to 31.</param>
    /// <param name="ssrc">The sender's SSRC or CSRC.</param>
    /// <param name="name">Exactly four ASCII octets.</param>
    /// <param name="data">
    /// Application data, a multiple of 4 octets long: RFC 3550 requires it, and padding it here would change
    /// what the receiver reads.
    /// </param>
    public ApplicationDefinedWriter(int subtype, uint ssrc, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data = default)
    {
        if ((uint)subtype > RtcpHeader.MaxCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(subtype));
        }

        if (name.Length != 4 || name.ContainsAnyExceptInRange((byte)0, (byte)0x7F))
        {
            ThrowHelper.ThrowArgument("An APP name is exactly four ASCII octets.", nameof(name));
        }

        if ((data.Length & 3) != 0)
        {
            ThrowHelper.ThrowArgument("APP data must be a multiple of 32 bits long.", nameof(data));
        }

        RtcpHeader.EnsureFits(FixedLength + (long)data.Length, nameof(data));
        Subtype = subtype;
        Ssrc = ssrc;
        _name = name;
        _data = data;
    }

    public int Subtype { get; }

    public uint Ssrc { get; }

    public int GetSerializedLength() => FixedLength + _data.Length;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.Write(destination, Subtype, RtcpPacketType.ApplicationDefined, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Ssrc);
        _name.CopyTo(destination.Slice(8));
        _data.CopyTo(destination.Slice(FixedLength));
        written = length;
        return true;
    }
}
