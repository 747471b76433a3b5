using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads an SR: sender report (RFC 3550 section 6.4.1), packet type 200.
/// </summary>
/// <remarks>
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=SR=200   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         SSRC of sender                        |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// sender |              NTP timestamp, most significant word             |
/// info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |             NTP timestamp, least significant word             |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         RTP timestamp                         |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     sender's packet count                     |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                      sender's octet count                     |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// report |                 SSRC_1 (SSRC of first source)                 |
/// block  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   1    | fraction lost |       cumulative number of packets lost       |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |           extended highest sequence number received           |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                      interarrival jitter                      |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         last SR (LSR)                         |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                   delay since last SR (DLSR)                  |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// report |                 SSRC_2 (SSRC of second source)                |
/// block  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   2    :                               ...                             :
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                  profile-specific extensions                  |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct SenderReport
{
    private const int BlocksOffset = 4 + SenderInfo.Length;

    private readonly ReadOnlySpan<byte> _payload;

    private SenderReport(ReadOnlySpan<byte> payload, int reportCount)
    {
        _payload = payload;
        ReportCount = reportCount;
    }

    /// <summary>The sender's SSRC.</summary>
    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    public SenderInfo SenderInfo => new(
        BinaryPrimitives.ReadUInt64BigEndian(_payload.Slice(4)),
        BinaryPrimitives.ReadUInt32BigEndian(_payload.Slice(12)),
        BinaryPrimitives.ReadUInt32BigEndian(_payload.Slice(16)),
        BinaryPrimitives.ReadUInt32BigEndian(_payload.Slice(20)));

    /// <summary>Number of report blocks (RC).</summary>
    public int ReportCount { get; }

    /// <summary>The report blocks in order.</summary>
    public ReportBlockEnumerator ReportBlocks => new(_payload.Slice(BlocksOffset, ReportCount * ReportBlock.Length));

    /// <summary>Bytes after the report blocks (profile-specific extensions), usually empty.</summary>
    public ReadOnlySpan<byte> ProfileExtensions => _payload.Slice(BlocksOffset + (ReportCount * ReportBlock.Length));

    public ReportBlock GetReportBlock(int index)
    {
        if ((uint)index >= (uint)ReportCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        return ReportBlock.Read(_payload.Slice(BlocksOffset + (index * ReportBlock.Length)));
    }

    /// <summary>Reads <paramref name="packet"/> as an SR. Returns false if it is another type or too short for its report count.</summary>
    public static bool TryRead(RtcpPacket packet, out SenderReport report)
    {
        ReadOnlySpan<byte> payload = packet.Payload;
        int count = packet.Count;
        if (packet.Type != RtcpPacketType.SenderReport || payload.Length < BlocksOffset + (count * ReportBlock.Length))
        {
            report = default;
            return false;
        }

        report = new SenderReport(payload, count);
        return true;
    }
}
