using System.Numerics;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// One generic NACK FCI entry (RFC 4585 section 6.2.1): a lost packet ID and a bitmask of the 16 after it.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Bit i of BLP (least significant first) set means PID + i + 1 was lost too, modulo 2^16.
/// </remarks>
/// <param name="PacketId">PID: the RTP sequence number of a lost packet.</param>
/// <param name="LostBitmask">BLP: which of the 16 following sequence numbers were lost as well.</param>
public readonly record struct NackPair(ushort PacketId, ushort LostBitmask)
{
    /// <summary>Number of lost packets this pair reports: the PID and each bit set in BLP.</summary>
    public int LostCount => 1 + BitOperations.PopCount(LostBitmask);
}
