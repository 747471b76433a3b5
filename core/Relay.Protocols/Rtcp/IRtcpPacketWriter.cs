namespace Relay.Protocols.Rtcp;

/// <summary>
/// A writer of one RTCP packet into memory the caller owns. Every writer in this namespace implements it,
/// so <see cref="RtcpCompoundWriter"/> can append any of them without boxing.
/// </summary>
public interface IRtcpPacketWriter
{
    /// <summary>Bytes <see cref="TryWrite"/> will write: header, content and padding to a 32-bit boundary.</summary>
    int GetSerializedLength();

    /// <summary>
    /// Writes the packet at the start of <paramref name="destination"/>. Returns false, writing nothing,
    /// when it is shorter than <see cref="GetSerializedLength"/>.
    /// </summary>
    bool TryWrite(Span<byte> destination, out int written);
}
