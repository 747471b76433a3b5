using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads a BYE: goodbye (RFC 3550 section 6.6), packet type 203.
/// </summary>
/// <remarks>
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
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
/// The reason, when present, is padded with nulls to a 32-bit boundary.
/// </remarks>
public readonly ref struct Goodbye
{
    private readonly ReadOnlySpan<byte> _payload;

    private Goodbye(ReadOnlySpan<byte> payload, int sourceCount, ReadOnlySpan<byte> reason)
    {
        _payload = payload;
        SourceCount = sourceCount;
        Reason = reason;
    }

    /// <summary>Number of SSRC/CSRC identifiers (SC).</summary>
    public int SourceCount { get; }

    /// <summary>The reason for leaving as UTF-8, or empty when none was given.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public uint GetSsrc(int index)
    {
        if ((uint)index >= (uint)SourceCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(_payload.Slice(index * 4));
    }

    /// <summary>
    /// Reads <paramref name="packet"/> as a BYE. Returns false if it is another type, too short for its
    /// sources, or the reason's length octet disagrees with the packet length.
    /// </summary>
    public static bool TryRead(RtcpPacket packet, out Goodbye goodbye)
    {
        goodbye = default;
        ReadOnlySpan<byte> payload = packet.Payload;
        int sourcesLength = packet.Count * 4;
        if (packet.Type != RtcpPacketType.Goodbye || payload.Length < sourcesLength)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (payload.Length > sourcesLength)
        {
            // Nulls (or the P bit's padding) fill out the last word after the reason, and nothing else follows.
            int reasonLength = payload[sourcesLength];
            int reasonEnd = sourcesLength + 1 + reasonLength;
            if (reasonEnd > payload.Length || RtcpHeader.AlignTo32Bits(reasonEnd) < payload.Length)
            {
                return false;
            }

            reason = payload.Slice(sourcesLength + 1, reasonLength);
        }

        goodbye = new Goodbye(payload, packet.Count, reason);
        return true;
    }
}
