using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes a generic NACK (RFC 4585 section 6.2.1) from a list of lost sequence numbers, packing each run
/// of up to 17 into one PID/BLP pair.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |    PT=205     |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  per pair
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A pair starts at a sequence number and takes every following one within the next 16 (modulo 2^16, so
/// 65535 and 2 share a pair). Given in RTP order (as a NACK generator keeps its missing list) this gives
/// the fewest pairs; any other order, or duplicates, still reports every number, possibly in more pairs.
/// </remarks>
public readonly ref struct GenericNackWriter : IRtcpPacketWriter
{
    private readonly ReadOnlySpan<ushort> _lost;
    private readonly int _pairCount;

    /// <param name="senderSsrc">The SSRC of the receiver sending the NACK.</param>
    /// <param name="mediaSsrc">The stream with the losses.</param>
    /// <param name="lostSequenceNumbers">At least one lost sequence number, best in RTP order.</param>
    public GenericNackWriter(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lostSequenceNumbers)
    {
        if (lostSequenceNumbers.IsEmpty)
        {
            ThrowHelper.ThrowArgument("A NACK reports at least one lost packet.", nameof(lostSequenceNumbers));
        }

        int pairCount = Pack(lostSequenceNumbers, default);
        RtcpHeader.EnsureFits(RtcpHeader.FeedbackHeaderLength + (4L * pairCount), nameof(lostSequenceNumbers));
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _lost = lostSequenceNumbers;
        _pairCount = pairCount;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    /// <summary>Number of PID/BLP pairs the packet will carry.</summary>
    public int PairCount => _pairCount;

    public int GetSerializedLength() => RtcpHeader.FeedbackHeaderLength + (_pairCount * 4);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.WriteFeedback(destination, RtcpPacketType.TransportLayerFeedback, (int)TransportLayerFeedbackFormat.GenericNack, length, SenderSsrc, MediaSsrc);
        Pack(_lost, destination.Slice(RtcpHeader.FeedbackHeaderLength, _pairCount * 4));
        written = length;
        return true;
    }

    /// <summary>Packs greedily into pairs, writing them when <paramref name="pairs"/> is not empty; returns the pair count.</summary>
    private static int Pack(ReadOnlySpan<ushort> lost, Span<byte> pairs)
    {
        int count = 0;
        int i = 0;
        while (i < lost.Length)
        {
            ushort packetId = lost[i++];
            int bitmask = 0;
            while (i < lost.Length)
            {
                // Distance modulo 2^16: 0 repeats the PID, 1..16 fit the mask, anything else starts a new pair.
                int distance = (ushort)(lost[i] - packetId);
                if (distance > 16)
                {
                    break;
                }

                if (distance != 0)
                {
                    bitmask |= 1 << (distance - 1);
                }

                i++;
            }

            if (!pairs.IsEmpty)
            {
                BinaryPrimitives.WriteUInt16BigEndian(pairs.Slice(count * 4), packetId);
                BinaryPrimitives.WriteUInt16BigEndian(pairs.Slice((count * 4) + 2), (ushort)bitmask);
            }

            count++;
        }

        return count;
    }
}
