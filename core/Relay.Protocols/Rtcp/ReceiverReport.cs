using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads an RR: receiver report (RFC 3550 section 6.4.2), packet type 201.
/// </summary>
/// <remarks>
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=RR=201   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     SSRC of packet sender                     |
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
public readonly ref struct ReceiverReport
{
    private const int BlocksOffset = 4;

    private readonly ReadOnlySpan<byte> _payload;

    private ReceiverReport(ReadOnlySpan<byte> payload, int reportCount)
    {
        _payload = payload;
        ReportCount = reportCount;
    }

    /// <summary>The SSRC of the receiver sending the report.</summary>
    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

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

    /// <summary>Reads <paramref name="packet"/> as an RR. Returns false if it is another type or too short for its report count.</summary>
    public static bool TryRead(RtcpPacket packet, out ReceiverReport report)
    {
        ReadOnlySpan<byte> payload = packet.Payload;
        int count = packet.Count;
        if (packet.Type != RtcpPacketType.ReceiverReport || payload.Length < BlocksOffset + (count * ReportBlock.Length))
        {
            report = default;
            return false;
        }

        report = new ReceiverReport(payload, count);
        return true;
    }
}
