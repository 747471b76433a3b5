using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads a FIR: full intra request, payload-specific feedback FMT 4 (RFC 5104 section 4.3.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=4  |    PT=206     |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (unused, 0)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |  one or more
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  entries
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The streams asked for are in the entries; the media source field is not used.
/// </remarks>
public readonly ref struct FullIntraRequest
{
    private readonly ReadOnlySpan<byte> _entries;

    private FullIntraRequest(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<byte> entries)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _entries = entries;
    }

    public uint SenderSsrc { get; }

    /// <summary>The media source field; RFC 5104 says it SHALL be 0 and is not used.</summary>
    public uint MediaSsrc { get; }

    public int EntryCount => _entries.Length / FirEntry.Length;

    public FirEntry GetEntry(int index)
    {
        if ((uint)index >= (uint)EntryCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        ReadOnlySpan<byte> entry = _entries.Slice(index * FirEntry.Length, FirEntry.Length);
        return new FirEntry(BinaryPrimitives.ReadUInt32BigEndian(entry), entry[4]);
    }

    /// <summary>Reads <paramref name="packet"/> as a FIR. Returns false for other types and formats, or if the FCI is not whole 8-byte entries.</summary>
    public static bool TryRead(RtcpPacket packet, out FullIntraRequest fir)
    {
        if (!FeedbackPacket.TryRead(packet, RtcpPacketType.PayloadSpecificFeedback, (int)PayloadSpecificFeedbackFormat.FullIntraRequest, out FeedbackPacket feedback)
            || feedback.Fci.IsEmpty
            || feedback.Fci.Length % FirEntry.Length != 0)
        {
            fir = default;
            return false;
        }

        fir = new FullIntraRequest(feedback.SenderSsrc, feedback.MediaSsrc, feedback.Fci);
        return true;
    }
}
