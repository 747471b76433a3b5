namespace Relay.Protocols.Demux;

/// <summary>
/// Sorts a datagram arriving on the one UDP port ICE, DTLS and SRTP share (RFC 7983 section 7, with
/// RTP and RTCP told apart as in RFC 5761 section 4).
/// </summary>
/// <remarks>
/// <code>
///                  +----------------+
///                  |        [0..3] -+--> STUN
///                  |                |
///                  |      [16..19] -+--> ZRTP         (Unknown here)
///   packet -->     |                |
///                  |      [20..63] -+--> DTLS
///                  |                |
///                  |      [64..79] -+--> TURN channel (Unknown here)
///                  |                |
///                  |    [128..191] -+--> RTP / RTCP
///                  +----------------+
///
/// RTP / RTCP by the second byte (M bit and PT for RTP, packet type for RTCP):
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |   192..223 -> RTCP (SR 200, RR 201, SDES, BYE, APP, RTPFB, PSFB, ...)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   otherwise -> RTP (RFC 5761 keeps RTP payload types 64-95 free)
/// </code>
/// Only the first two bytes are looked at; the parser for the kind checks the rest. A datagram
/// that starts in 128-191 but has no second byte cannot be either and is <see cref="PacketKind.Unknown"/>.
/// </remarks>
public static class PacketClassifier
{
    /// <summary>Classifies <paramref name="datagram"/> by its first byte (and second, for RTP/RTCP).</summary>
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        // Unsigned subtraction turns each range test into one comparison.
        uint first = datagram[0];
        if (first <= 3)
        {
            return PacketKind.Stun;
        }

        if (first - 20 <= 63 - 20)
        {
            return PacketKind.Dtls;
        }

        if (first - 128 <= 191 - 128 && datagram.Length >= 2)
        {
            return datagram[1] - 192u <= 223 - 192 ? PacketKind.Rtcp : PacketKind.Rtp;
        }

        return PacketKind.Unknown;
    }
}
