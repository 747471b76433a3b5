using System.Buffers.Binary;

namespace Relay.Protocols.Rtp;

/// <summary>
/// A validated view of one RTP packet (RFC 3550 section 5.1, header extensions per RFC 8285): the
/// fixed header, CSRCs, the extension block, the payload and the padding, all over the caller's span.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers  (CC x 4)   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |     length (32-bit words)     |  (if X)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 extension elements (length x 4)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            payload                            |
/// |                               +-------------------------------+
/// |                               | padding ...   | padding count |  (if P)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="TryRead"/> checks every declared length: the CSRC count and extension length must fit
/// (<see cref="RtpHeader.TryRead"/>), and with P set the padding count (the last byte) must be at
/// least 1 and no more than the bytes after the header. Extension elements are checked as they are
/// walked (<see cref="RtpExtensionEnumerator"/>), so a packet is not rejected for a bad element.
/// </remarks>
public readonly ref struct RtpPacketReader
{
    private readonly ReadOnlySpan<byte> _packet;

    private RtpPacketReader(ReadOnlySpan<byte> packet, RtpHeader header, int paddingLength)
    {
        _packet = packet;
        Header = header;
        PaddingLength = paddingLength;
    }

    /// <summary>The fixed header fields and the header length.</summary>
    public RtpHeader Header { get; }

    /// <summary>The whole packet this reader was made from.</summary>
    public ReadOnlySpan<byte> Packet => _packet;

    /// <summary>Bytes of padding at the end of the packet, counting the count byte; 0 without P.</summary>
    public int PaddingLength { get; }

    /// <summary>The payload: after the header, before the padding. May be empty (padding-only probes).</summary>
    public ReadOnlySpan<byte> Payload => _packet.Slice(Header.HeaderLength, _packet.Length - Header.HeaderLength - PaddingLength);

    /// <summary>Number of contributing sources.</summary>
    public int CsrcCount => Header.CsrcCount;

    /// <summary>Whether the packet has a header extension block.</summary>
    public bool HasExtension => Header.HasExtension;

    /// <summary>The block's "defined by profile" value; 0 without an extension.</summary>
    public ushort ExtensionProfile =>
        Header.HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(ExtensionOffset)) : (ushort)0;

    /// <summary>How the extension elements are laid out, or <see cref="RtpExtensionForm.None"/>.</summary>
    public RtpExtensionForm ExtensionForm =>
        Header.HasExtension ? RtpExtensionProfile.GetForm(ExtensionProfile) : RtpExtensionForm.None;

    /// <summary>The extension block after its 4-byte header (elements and padding); empty without one.</summary>
    public ReadOnlySpan<byte> ExtensionData =>
        Header.HasExtension ? _packet[(ExtensionOffset + 4)..Header.HeaderLength] : default;

    private int ExtensionOffset => RtpHeader.FixedLength + (Header.CsrcCount * 4);

    /// <summary>
    /// Reads an RTP packet. Returns false if the header is not RTP version 2, a declared length runs
    /// past the end, or the padding count is 0 or larger than what follows the header.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpPacketReader reader)
    {
        if (!RtpHeader.TryRead(packet, out RtpHeader header))
        {
            reader = default;
            return false;
        }

        int paddingLength = 0;
        if (header.HasPadding)
        {
            // RFC 3550 section 5.1: the last octet counts the padding, itself included.
            paddingLength = packet[^1];
            if (paddingLength == 0 || paddingLength > packet.Length - header.HeaderLength)
            {
                reader = default;
                return false;
            }
        }

        reader = new RtpPacketReader(packet, header, paddingLength);
        return true;
    }

    /// <summary>The contributing source at <paramref name="index"/> (0 to <see cref="CsrcCount"/> - 1).</summary>
    public uint GetCsrc(int index)
    {
        if ((uint)index >= (uint)Header.CsrcCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(_packet.Slice(RtpHeader.FixedLength + (index * 4)));
    }

    /// <summary>Walks the RFC 8285 extension elements; yields nothing without an extension or for other profiles.</summary>
    public RtpExtensionEnumerator GetExtensions() =>
        Header.HasExtension ? new RtpExtensionEnumerator(ExtensionProfile, ExtensionData) : default;

    /// <summary>Finds the first element with <paramref name="id"/>; false if there is none before the walk stops.</summary>
    public bool TryGetExtension(byte id, out ReadOnlySpan<byte> data)
    {
        RtpExtensionEnumerator elements = GetExtensions();
        while (elements.MoveNext())
        {
            RtpExtensionElement element = elements.Current;
            if (element.Id == id)
            {
                data = element.Data;
                return true;
            }
        }

        data = default;
        return false;
    }
}
