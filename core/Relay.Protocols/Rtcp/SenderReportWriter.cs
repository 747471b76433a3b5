using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes an SR (RFC 3550 section 6.4.1): SSRC, sender info and up to 31 report blocks.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |      NTP timestamp (64) | RTP timestamp | packet count | octet count (5 words)
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report block 1 (6 words, see ReportBlock)     |
/// :                              ...                              :
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// The full field diagram is on <see cref="SenderReport"/>.
/// </remarks>
public readonly ref struct SenderReportWriter : IRtcpPacketWriter
{
    private const int FixedLength = RtcpHeader.Length + 4 + SenderInfo.Length;

    private readonly ReadOnlySpan<ReportBlock> _reportBlocks;

    /// <param name="ssrc">The sender's SSRC.</param>
    /// <param name="senderInfo">Timestamps and counts of what was sent.</param>
    /// <param name="reportBlocks">At most 31 blocks about sources this sender receives; more need another RR.</param>
    public SenderReportWriter(uint ssrc, SenderInfo senderInfo, ReadOnlySpan<ReportBlock> reportBlocks = default)
    {
        RtcpHeader.EnsureCount(reportBlocks.Length, nameof(reportBlocks));
        Ssrc = ssrc;
        SenderInfo = senderInfo;
        _reportBlocks = reportBlocks;
    }

    public uint Ssrc { get; }

    public SenderInfo SenderInfo { get; }

    public int GetSerializedLength() => FixedLength + (_reportBlocks.Length * ReportBlock.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.Write(destination, _reportBlocks.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8), SenderInfo.NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), SenderInfo.RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), SenderInfo.PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24), SenderInfo.OctetCount);
        int offset = FixedLength;
        foreach (ReportBlock block in _reportBlocks)
        {
            block.Write(destination.Slice(offset));
            offset += ReportBlock.Length;
        }

        written = length;
        return true;
    }
}
