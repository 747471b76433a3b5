using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>Writes a FIR (RFC 5104 section 4.3.1), media source 0, reserved bits 0.</summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=4  |    PT=206     |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |  per entry
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Seq nr.       |    Reserved (0)                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct FullIntraRequestWriter : IRtcpPacketWriter
{
    private readonly ReadOnlySpan<FirEntry> _entries;

    /// <param name="senderSsrc">The SSRC of the requester.</param>
    /// <param name="entries">One entry per stream asked to refresh.</param>
    public FullIntraRequestWriter(uint senderSsrc, ReadOnlySpan<FirEntry> entries)
    {
        if (entries.IsEmpty)
        {
            ThrowHelper.ThrowArgument("A FIR holds at least one entry.", nameof(entries));
        }

        RtcpHeader.EnsureFits(RtcpHeader.FeedbackHeaderLength + ((long)entries.Length * FirEntry.Length), nameof(entries));
        SenderSsrc = senderSsrc;
        _entries = entries;
    }

    public uint SenderSsrc { get; }

    public int GetSerializedLength() => RtcpHeader.FeedbackHeaderLength + (_entries.Length * FirEntry.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.WriteFeedback(destination, RtcpPacketType.PayloadSpecificFeedback, (int)PayloadSpecificFeedbackFormat.FullIntraRequest, length, SenderSsrc, 0);
        int offset = RtcpHeader.FeedbackHeaderLength;
        foreach (FirEntry entry in _entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset), entry.Ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset + 4), (uint)entry.SequenceNumber << 24);
            offset += FirEntry.Length;
        }

        written = length;
        return true;
    }
}
