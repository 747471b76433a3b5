namespace Relay.Transport.Dtls;

/// <summary>
/// Datagram boundaries over a run of DTLS records. OpenSSL 3.0's memory BIO concatenates the records
/// it writes (BIO_s_dgram_mem, which keeps boundaries, arrived in 3.2), so the transport cuts the run
/// into datagrams itself: whole records, packed up to the MTU (RFC 6347 section 4.1.1 allows several
/// per datagram), which also sends a flight in fewer packets than one record each.
/// </summary>
internal static class DtlsDatagrams
{
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
    /// The highest epoch among the well-formed records at the start of <paramref name="datagram"/>,
    /// or -1 if it does not begin with one. Scanning stops at the first malformed record, which
    /// OpenSSL discards together with everything after it.
    /// </summary>
    public static int HighestEpoch(ReadOnlySpan<byte> datagram)
    {
        int highest = -1;
        while (DtlsRecordHeader.TryRead(datagram, out DtlsRecordHeader header))
        {
            highest = Math.Max(highest, header.Epoch);
            datagram = datagram[header.RecordLength..];
        }

        return highest;
    }
}
