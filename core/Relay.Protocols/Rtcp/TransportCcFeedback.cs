using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads transport-wide congestion control feedback: transport layer feedback FMT 15
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                                                               .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         packet chunk          |  recv delta   |  recv delta   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// .                                                               .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           recv delta          |  recv delta   | zero padding  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// run length chunk (T=0)             status vector chunk (T=1)
///  0                   1              0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |T| S |       Run Length        |  |T|S|       symbol list         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Packet status count sequence numbers from the base are covered by chunks: a run of one 2-bit symbol
/// (up to 8191), or a vector of 14 1-bit symbols (S=0: not received / small delta) or 7 2-bit symbols
/// (S=1). The last chunk may describe more than the count; the excess is ignored. Then one receive delta
/// per received packet in 250 µs ticks: 1 byte unsigned for a small delta, 2 bytes signed for a large
/// one. The first delta is relative to the reference time (signed 24-bit, 64 ms units), each next to
/// the previous received packet. Padding is zero bytes up to a 32-bit boundary (libwebrtc instead
/// sets the P bit); both are accepted.
/// <see cref="TryRead"/> walks every chunk and checks the deltas fit before anything is enumerated, so
/// <see cref="Packets"/> never meets a bad length.
/// </remarks>
public readonly ref struct TransportCcFeedback
{
    /// <summary>One receive delta tick.</summary>
    public const int DeltaTickMicroseconds = 250;

    /// <summary>One reference time unit.</summary>
    public const int ReferenceTimeUnitMicroseconds = 64_000;

    /// <summary>Base sequence number, status count, reference time and feedback count before the first chunk.</summary>
    internal const int FixedFciLength = 8;

    internal const int MaxRunLength = 0x1FFF;

    private readonly ReadOnlySpan<byte> _fci;
    private readonly int _chunksLength;

    private TransportCcFeedback(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<byte> fci, int chunksLength, int receivedCount)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _fci = fci;
        _chunksLength = chunksLength;
        ReceivedCount = receivedCount;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    /// <summary>The first transport-wide sequence number reported.</summary>
    public ushort BaseSequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_fci);

    /// <summary>How many sequence numbers from the base are reported (at least 1).</summary>
    public int PacketStatusCount => BinaryPrimitives.ReadUInt16BigEndian(_fci.Slice(2));

    /// <summary>How many of them were received.</summary>
    public int ReceivedCount { get; }

    /// <summary>
    /// The reference time in 64 ms units, read as the draft's signed 24-bit integer. libwebrtc reads the
    /// same bits as unsigned modulo 2^24, so compare successive values modulo 2^24.
    /// </summary>
    public int ReferenceTime => (int)(BinaryPrimitives.ReadUInt32BigEndian(_fci.Slice(4)) & 0xFFFFFF00) >> 8;

    /// <summary>The reference time in microseconds.</summary>
    public long ReferenceTimeMicroseconds => (long)ReferenceTime * ReferenceTimeUnitMicroseconds;

    /// <summary>The feedback packet count, which increments with each feedback sent, so loss of feedback shows.</summary>
    public byte FeedbackPacketCount => _fci[7];

    /// <summary>Every reported sequence number in order, with status, delta and arrival time.</summary>
    public TransportCcPacketEnumerator Packets => new(
        _fci.Slice(FixedFciLength, _chunksLength),
        _fci.Slice(FixedFciLength + _chunksLength),
        BaseSequenceNumber,
        PacketStatusCount,
        ReferenceTimeMicroseconds);

    /// <summary>
    /// Reads <paramref name="packet"/> as transport-wide CC feedback. Returns false for other types and
    /// formats, a status count of 0, too few chunks for the count, a reserved symbol (3), receive deltas
    /// running past the packet, or more than 3 bytes after the deltas.
    /// </summary>
    public static bool TryRead(RtcpPacket packet, out TransportCcFeedback feedback)
    {
        feedback = default;
        if (!FeedbackPacket.TryRead(packet, RtcpPacketType.TransportLayerFeedback, (int)TransportLayerFeedbackFormat.TransportCc, out FeedbackPacket common))
        {
            return false;
        }

        ReadOnlySpan<byte> fci = common.Fci;
        if (fci.Length < FixedFciLength + 2)
        {
            return false;
        }

        int statusCount = BinaryPrimitives.ReadUInt16BigEndian(fci.Slice(2));
        if (statusCount == 0)
        {
            return false;
        }

        int offset = FixedFciLength;
        int covered = 0;
        int deltasLength = 0;
        int receivedCount = 0;
        while (covered < statusCount)
        {
            if (offset + 2 > fci.Length)
            {
                return false;
            }

            int chunk = BinaryPrimitives.ReadUInt16BigEndian(fci.Slice(offset));
            offset += 2;
            int remaining = statusCount - covered;
            if ((chunk & 0x8000) == 0)
            {
                int symbol = (chunk >> 13) & 3;
                if (symbol == 3)
                {
                    return false;
                }

                int run = Math.Min(chunk & MaxRunLength, remaining);
                deltasLength += run * symbol;
                receivedCount += symbol == 0 ? 0 : run;
                covered += run;
            }
            else if ((chunk & 0x4000) == 0)
            {
                int count = Math.Min(14, remaining);
                for (int i = 0; i < count; i++)
                {
                    int symbol = (chunk >> (13 - i)) & 1;
                    deltasLength += symbol;
                    receivedCount += symbol;
                }

                covered += count;
            }
            else
            {
                int count = Math.Min(7, remaining);
                for (int i = 0; i < count; i++)
                {
                    int symbol = (chunk >> (12 - (2 * i))) & 3;
                    if (symbol == 3)
                    {
                        return false;
                    }

                    deltasLength += symbol;
                    receivedCount += symbol == 0 ? 0 : 1;
                }

                covered += count;
            }
        }

        int trailing = fci.Length - offset - deltasLength;
        if (trailing < 0 || trailing > 3)
        {
            return false;
        }

        feedback = new TransportCcFeedback(common.SenderSsrc, common.MediaSsrc, fci, offset - FixedFciLength, receivedCount);
        return true;
    }
}
