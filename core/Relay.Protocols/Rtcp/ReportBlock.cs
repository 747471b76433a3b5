using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 section 6.4.1), as values.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// The cumulative loss is a signed 24-bit number: duplicates can make it negative. The constructor
/// clamps it to that range, as RFC 3550 appendix A.3 asks of a receiver whose count overflows.
/// </remarks>
public readonly record struct ReportBlock
{
    /// <summary>Bytes in one report block.</summary>
    public const int Length = 24;

    /// <summary>The largest cumulative loss the 24-bit field holds.</summary>
    public const int MaxCumulativeLost = 0x7FFFFF;

    /// <summary>The most negative cumulative loss the 24-bit field holds.</summary>
    public const int MinCumulativeLost = -0x800000;

    public ReportBlock(
        uint ssrc,
        byte fractionLost,
        int cumulativeLost,
        uint extendedHighestSequenceNumber,
        uint jitter,
        uint lastSenderReport,
        uint delaySinceLastSenderReport)
    {
        Ssrc = ssrc;
        FractionLost = fractionLost;
        CumulativeLost = Math.Clamp(cumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        ExtendedHighestSequenceNumber = extendedHighestSequenceNumber;
        Jitter = jitter;
        LastSenderReport = lastSenderReport;
        DelaySinceLastSenderReport = delaySinceLastSenderReport;
    }

    /// <summary>The source this block reports on.</summary>
    public uint Ssrc { get; }

    /// <summary>Packets lost since the previous report, as a fixed-point fraction of 256.</summary>
    public byte FractionLost { get; }

    /// <summary>Packets expected minus packets received since the start (signed 24-bit).</summary>
    public int CumulativeLost { get; }

    /// <summary>Highest sequence number received, with the wrap count in the high 16 bits.</summary>
    public uint ExtendedHighestSequenceNumber { get; }

    /// <summary>Interarrival jitter in RTP timestamp units.</summary>
    public uint Jitter { get; }

    /// <summary>The middle 32 bits of the NTP timestamp of the last SR received from this source (0 if none).</summary>
    public uint LastSenderReport { get; }

    /// <summary>Delay since that SR, in units of 1/65536 seconds (0 if none).</summary>
    public uint DelaySinceLastSenderReport { get; }

    /// <summary>Reads a block from the first <see cref="Length"/> bytes; the caller has checked the length.</summary>
    internal static ReportBlock Read(ReadOnlySpan<byte> source)
    {
        source = source.Slice(0, Length);
        int rawLost = (source[5] << 16) | (source[6] << 8) | source[7];
        return new ReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            source[4],
            (rawLost << 8) >> 8,
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(8)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(12)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(16)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(20)));
    }

    /// <summary>Writes the block into the first <see cref="Length"/> bytes; the caller has checked the length.</summary>
    internal void Write(Span<byte> destination)
    {
        destination = destination.Slice(0, Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        destination[4] = FractionLost;
        destination[5] = (byte)(CumulativeLost >> 16);
        destination[6] = (byte)(CumulativeLost >> 8);
        destination[7] = (byte)CumulativeLost;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12), Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), DelaySinceLastSenderReport);
    }
}
