namespace Relay.Protocols.Rtcp;

/// <summary>
/// A PLI: picture loss indication, payload-specific feedback FMT 1 (RFC 4585 section 6.3.1). Reads and writes.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |    PT=206     |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A PLI carries no FCI; RFC 4585 says its length field MUST be 2.
/// </remarks>
/// <param name="SenderSsrc">The receiver asking for a picture.</param>
/// <param name="MediaSsrc">The video stream that lost one.</param>
public readonly record struct PictureLossIndication(uint SenderSsrc, uint MediaSsrc) : IRtcpPacketWriter
{
    /// <summary>Bytes in a PLI packet.</summary>
    public const int Length = RtcpHeader.FeedbackHeaderLength;

    public int GetSerializedLength() => Length;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < Length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.WriteFeedback(destination, RtcpPacketType.PayloadSpecificFeedback, (int)PayloadSpecificFeedbackFormat.PictureLossIndication, Length, SenderSsrc, MediaSsrc);
        written = Length;
        return true;
    }

    /// <summary>Reads <paramref name="packet"/> as a PLI. Returns false for other types and formats, or if it carries FCI.</summary>
    public static bool TryRead(RtcpPacket packet, out PictureLossIndication pli)
    {
        if (!FeedbackPacket.TryRead(packet, RtcpPacketType.PayloadSpecificFeedback, (int)PayloadSpecificFeedbackFormat.PictureLossIndication, out FeedbackPacket feedback)
            || !feedback.Fci.IsEmpty)
        {
            pli = default;
            return false;
        }

        pli = new PictureLossIndication(feedback.SenderSsrc, feedback.MediaSsrc);
        return true;
    }
}
