using Relay.Protocols.Rtp;

namespace Relay.Media.Streams;

/// <summary>
/// Removes the header extension block from a viewer's copy of a packet. The publisher's extension ids
/// are its own negotiation's; a viewer negotiated its own ids (and its own mid values), which the
/// fan-out is not given, so passing the publisher's through could mislabel a packet (a mid naming
/// another of the viewer's media sections, say). Without them the viewer demultiplexes by SSRC, which
/// the WHEP answer announces.
/// </summary>
internal static class RtpExtensionStripper
{
    /// <summary>
    /// Strips the extension block of the RTP packet in <c>buffer[..length]</c> in place (X bit cleared,
    /// payload moved up) and returns the new length; the packet unchanged if it has none or is not RTP.
    /// Deterministic: the same packet always gives the same bytes, which a repeated SRTP index needs.
    /// </summary>
    public static int Strip(Span<byte> buffer, int length)
    {
        Span<byte> packet = buffer.Slice(0, length);
        if (!RtpHeader.TryRead(packet, out RtpHeader header) || !header.HasExtension)
        {
            return length;
        }

        int extensionStart = RtpHeader.FixedLength + (4 * header.CsrcCount);
        int headerLength = header.HeaderLength;
        packet.Slice(headerLength).CopyTo(packet.Slice(extensionStart));
        buffer[0] &= 0xEF;
        return length - (headerLength - extensionStart);
    }
}
