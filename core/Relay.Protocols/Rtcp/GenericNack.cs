using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads a generic NACK: transport layer feedback FMT 1 (RFC 4585 section 6.2.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |    PT=205     |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  one or more
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="LostSequenceNumbers"/> expands the PID/BLP pairs into sequence numbers.
/// </remarks>
public readonly ref struct GenericNack
{
    private readonly ReadOnlySpan<byte> _pairs;

    private GenericNack(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<byte> pairs)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _pairs = pairs;
    }

    public uint SenderSsrc { get; }

    /// <summary>The stream whose packets were lost.</summary>
    public uint MediaSsrc { get; }

    /// <summary>Number of PID/BLP pairs.</summary>
    public int PairCount => _pairs.Length / 4;

    /// <summary>Every sequence number reported lost.</summary>
    public LostSequenceNumberEnumerator LostSequenceNumbers => new(_pairs);

    public NackPair GetPair(int index)
    {
        if ((uint)index >= (uint)PairCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        ReadOnlySpan<byte> pair = _pairs.Slice(index * 4, 4);
        return new NackPair(BinaryPrimitives.ReadUInt16BigEndian(pair), BinaryPrimitives.ReadUInt16BigEndian(pair.Slice(2)));
    }

    /// <summary>
    /// Reads <paramref name="packet"/> as a generic NACK. Returns false for other types and formats, or if
    /// the FCI is not one or more whole 4-byte pairs.
    /// </summary>
    public static bool TryRead(RtcpPacket packet, out GenericNack nack)
    {
        if (!FeedbackPacket.TryRead(packet, RtcpPacketType.TransportLayerFeedback, (int)TransportLayerFeedbackFormat.GenericNack, out FeedbackPacket feedback)
            || feedback.Fci.IsEmpty
            || (feedback.Fci.Length & 3) != 0)
        {
            nack = default;
            return false;
        }

        nack = new GenericNack(feedback.SenderSsrc, feedback.MediaSsrc, feedback.Fci);
        return true;
    }
}
