using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads the common part of any RTCP feedback message (RFC 4585 section 6.1): transport layer (205) or
/// payload-specific (206), with its FMT and feedback control information (FCI) left raw.
/// </summary>
/// <remarks>
/// <code>
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |V=2|P|   FMT   |       PT      |          length               |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                  SSRC of packet sender                        |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                  SSRC of media source                         |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    :            Feedback Control Information (FCI)                 :
///    :                                                               :
/// </code>
/// The specific readers (<see cref="GenericNack"/>, <see cref="TransportCcFeedback"/>,
/// <see cref="PictureLossIndication"/>, <see cref="FullIntraRequest"/>, <see cref="Remb"/>) build on
/// this; use it directly for formats they do not cover.
/// </remarks>
public readonly ref struct FeedbackPacket
{
    private const int CommonLength = 8;

    private FeedbackPacket(RtcpPacketType type, int format, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Format = format;
        SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(payload);
        MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(payload.Slice(4));
        Fci = payload.Slice(CommonLength);
    }

    /// <summary><see cref="RtcpPacketType.TransportLayerFeedback"/> or <see cref="RtcpPacketType.PayloadSpecificFeedback"/>.</summary>
    public RtcpPacketType Type { get; }

    /// <summary>The feedback message type (FMT).</summary>
    public int Format { get; }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    /// <summary>The feedback control information, padding excluded.</summary>
    public ReadOnlySpan<byte> Fci { get; }

    /// <summary>Reads <paramref name="packet"/> as a feedback message. Returns false for other types or fewer than 8 payload bytes.</summary>
    public static bool TryRead(RtcpPacket packet, out FeedbackPacket feedback)
    {
        ReadOnlySpan<byte> payload = packet.Payload;
        if (packet.Type is not (RtcpPacketType.TransportLayerFeedback or RtcpPacketType.PayloadSpecificFeedback)
            || payload.Length < CommonLength)
        {
            feedback = default;
            return false;
        }

        feedback = new FeedbackPacket(packet.Type, packet.Format, payload);
        return true;
    }

    /// <summary>Reads <paramref name="packet"/> as a feedback message of exactly this type and format.</summary>
    internal static bool TryRead(RtcpPacket packet, RtcpPacketType type, int format, out FeedbackPacket feedback)
    {
        if (packet.Type != type || packet.Format != format)
        {
            feedback = default;
            return false;
        }

        return TryRead(packet, out feedback);
    }
}
