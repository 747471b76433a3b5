using System.Buffers.Binary;

namespace Relay.Transport.Dtls;

/// <summary>
/// The header of a DTLS 1.0/1.2 record (RFC 6347 section 4.1). The transport reads it to cut
/// OpenSSL's output into datagrams and to screen input before OpenSSL buffers it; records are
/// otherwise OpenSSL's business.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | content type  |  version (254,253 = 1.2)      |     epoch     :
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// : epoch (cont.) |         sequence number (48 bits)             :
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :              sequence number (cont.)          |    length     :
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// : length (cont.)|  fragment (length bytes) ...
/// +-+-+-+-+-+-+-+-+
/// </code>
/// A datagram may carry several records back to back (RFC 6347 section 4.1.1).
/// </remarks>
internal readonly struct DtlsRecordHeader
{
    /// <summary>Bytes before the fragment.</summary>
    public const int Length = 13;

    private DtlsRecordHeader(byte contentType, ushort epoch, int fragmentLength)
    {
        ContentType = contentType;
        Epoch = epoch;
        FragmentLength = fragmentLength;
    }

    /// <summary>20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data.</summary>
    public byte ContentType { get; }

    /// <summary>Incremented at each ChangeCipherSpec: 0 for the clear handshake, 1 once keys are in use.</summary>
    public ushort Epoch { get; }

    public int FragmentLength { get; }

    /// <summary>Header plus fragment: where the next record starts.</summary>
    public int RecordLength => Length + FragmentLength;

    /// <summary>
    /// Reads the record header at the start of <paramref name="data"/>. False if fewer than 13 bytes
    /// remain or the declared fragment runs past the end.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out DtlsRecordHeader header)
    {
        if (data.Length < Length)
        {
            header = default;
            return false;
        }

        int fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(11, 2));
        if (fragmentLength > data.Length - Length)
        {
            header = default;
            return false;
        }

        header = new DtlsRecordHeader(data[0], BinaryPrimitives.ReadUInt16BigEndian(data.Slice(3, 2)), fragmentLength);
        return true;
    }
}
