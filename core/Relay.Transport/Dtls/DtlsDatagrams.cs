namespace Relay.Transport.Dtls;

/// <summary>
/// Datagram boundaries over a run of DTLS records, and the screening of received datagrams. OpenSSL 3.0's memory BIO concatenates the records
/// it writes (BIO_s_dgram_mem, which keeps boundaries, arrived in 3.2), so the transport cuts the run
/// into datagrams itself: whole records, packed up to the MTU (RFC 6347 section 4.1.1 allows several
/// per datagram), which also sends a flight in fewer packets than one record each.
/// </summary>
internal static class DtlsDatagrams
{
    private const byte ContentTypeChangeCipherSpec = 20;
    private const byte ContentTypeApplicationData = 23;

    /// <summary>
    /// Bytes from the start of <paramref name="records"/> to send as the next datagram: as many whole
    /// records as fit in <paramref name="mtu"/>, and at least one even if it alone is larger (OpenSSL
    /// sizes records to the MTU, so that does not happen with its output). If the run does not parse
    /// as records, the rest goes as one datagram rather than being lost.
    /// </summary>
    public static int NextDatagramLength(ReadOnlySpan<byte> records, int mtu)
    {
        int length = 0;
        while (length < records.Length)
        {
            if (!DtlsRecordHeader.TryRead(records[length..], out DtlsRecordHeader header))
            {
                return records.Length;
            }

            if (length > 0 && length + header.RecordLength > mtu)
            {
                break;
            }

            length += header.RecordLength;
        }

        return length;
    }

    /// <summary>
    /// Whether a received datagram may go to OpenSSL, and whether it holds records of epoch 1. A
    /// datagram must begin with a well-formed record (trailing bytes that do not parse are left to
    /// OpenSSL, which discards them), and every well-formed record must be something a WebRTC peer
    /// can send: content type 20 to 23; in epoch 0 no application data (it is never sent
    /// unencrypted); in epoch 1 a fragment of at least <paramref name="minimumProtectedFragment"/>
    /// bytes; no later epoch (they need renegotiation, which is off). One bad record rejects the
    /// datagram.
    /// </summary>
    public static DtlsScreening Screen(ReadOnlySpan<byte> datagram, int minimumProtectedFragment)
    {
        DtlsScreening screening = DtlsScreening.Reject;
        while (DtlsRecordHeader.TryRead(datagram, out DtlsRecordHeader header))
        {
            if (header.ContentType is < ContentTypeChangeCipherSpec or > ContentTypeApplicationData)
            {
                return DtlsScreening.Reject;
            }

            switch (header.Epoch)
            {
                case 0 when header.ContentType != ContentTypeApplicationData:
                    screening = screening == DtlsScreening.Reject ? DtlsScreening.Accept : screening;
                    break;
                case 1 when header.FragmentLength >= minimumProtectedFragment:
                    screening = DtlsScreening.AcceptWithEpochOne;
                    break;
                default:
                    return DtlsScreening.Reject;
            }

            datagram = datagram[header.RecordLength..];
        }

        return screening;
    }
}
