namespace Relay.Protocols.Rtcp;

/// <summary>
/// One FIR FCI entry (RFC 5104 section 4.3.1.1): the stream asked for a decoder refresh and the request's
/// command sequence number.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The sender increments the sequence number for each new request, so a repeat of the same number is a
/// retransmission the media sender must not act on twice.
/// </remarks>
/// <param name="Ssrc">The media sender asked for an intra frame.</param>
/// <param name="SequenceNumber">The command sequence number, modulo 256.</param>
public readonly record struct FirEntry(uint Ssrc, byte SequenceNumber)
{
    /// <summary>Bytes in one entry.</summary>
    public const int Length = 8;
}
