using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes an RR (RFC 3550 section 6.4.2): the receiver's SSRC and up to 31 report blocks. With no blocks
/// it is the empty RR that opens a compound when there is nothing to report.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report block 1 (6 words, see ReportBlock)     |
/// :                              ...                              :
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// The full field diagram is on <see cref="ReceiverReport"/>.
/// </remarks>
public readonly ref struct ReceiverReportWriter : IRtcpPacketWriter
{
    private const int FixedLength = RtcpHeader.Length + 4;

    private readonly ReadOnlySpan<ReportBlock> _reportBlocks;

    /// <param name="ssrc">The receiver's own SSRC.</param>
    /// <param name="reportBlocks">At most 31 blocks; more need another RR.</param>
    public ReceiverReportWriter(uint ssrc, ReadOnlySpan<ReportBlock> reportBlocks = default)
    {
        RtcpHeader.EnsureCount(reportBlocks.Length, nameof(reportBlocks));
        Ssrc = ssrc;
        _reportBlocks = reportBlocks;
    }

    public uint Ssrc { get; }

    public int GetSerializedLength() => FixedLength + (_reportBlocks.Length * ReportBlock.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.Write(destination, _reportBlocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Ssrc);
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
