using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Relay.Protocols.Rtp;

/// <summary>
/// The fixed RTP header and the lengths needed to find the payload (RFC 3550 section 5.1).
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
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |  (if X)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  header extension (length x 4 bytes)          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The header length covers the CSRCs and the extension; the payload follows it. Padding (if P) is
/// counted by the last byte of the packet. SRTP encrypts only the payload and needs exactly this.
/// </remarks>
public readonly struct RtpHeader
{
    /// <summary>Bytes in the fixed header, before CSRCs.</summary>
    public const int FixedLength = 12;

    /// <summary>The only RTP version in use.</summary>
    public const int Version = 2;

    private RtpHeader(byte firstByte, byte secondByte, ushort sequenceNumber, uint timestamp, uint ssrc, int headerLength)
    {
        FirstByte = firstByte;
        SecondByte = secondByte;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        HeaderLength = headerLength;
    }

    private byte FirstByte { get; }

    private byte SecondByte { get; }

    /// <summary>Whether the P bit says the packet ends in padding.</summary>
    public bool HasPadding => (FirstByte & 0x20) != 0;

    /// <summary>Whether the X bit says a header extension follows the CSRCs.</summary>
    public bool HasExtension => (FirstByte & 0x10) != 0;

    /// <summary>Number of contributing sources.</summary>
    public int CsrcCount => FirstByte & 0x0F;

    /// <summary>The marker bit (for video, the last packet of a frame).</summary>
    public bool Marker => (SecondByte & 0x80) != 0;

    /// <summary>The 7-bit payload type.</summary>
    public byte PayloadType => (byte)(SecondByte & 0x7F);

    public ushort SequenceNumber { get; }

    public uint Timestamp { get; }

    public uint Ssrc { get; }

    /// <summary>Bytes from the start of the packet to the payload: fixed header, CSRCs and extension.</summary>
    public int HeaderLength { get; }

    /// <summary>
    /// Reads the header of an RTP packet. Returns false if the version is not 2 or any declared length
    /// (CSRC count, extension length) runs past the end of <paramref name="packet"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        if (packet.Length < FixedLength || (packet[0] >> 6) != Version)
        {
            header = default;
            return false;
        }

        int length = FixedLength + ((packet[0] & 0x0F) * 4);
        if ((packet[0] & 0x10) != 0)
        {
            // The extension's 4-byte header, then its declared number of 32-bit words.
            if (packet.Length < length + 4)
            {
                header = default;
                return false;
            }

            length += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(length + 2)) * 4);
        }

        if (length > packet.Length)
        {
            header = default;
            return false;
        }

        header = new RtpHeader(
            packet[0],
            packet[1],
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8)),
            length);
        return true;
    }
}
