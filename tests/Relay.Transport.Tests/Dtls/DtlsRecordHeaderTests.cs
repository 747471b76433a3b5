using Relay.Testing;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

public class DtlsRecordHeaderTests
{
    // Handshake, DTLS 1.2, epoch 1, sequence 0x010203040506, a 3-byte fragment.
    private static readonly byte[] s_record = [0x16, 0xFE, 0xFD, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x00, 0x03, 0xAA, 0xBB, 0xCC];

    [Fact]
    public void TryRead_ReadsTypeEpochAndLength()
    {
        Assert.True(DtlsRecordHeader.TryRead(s_record, out DtlsRecordHeader header));

        Assert.Equal(22, header.ContentType);
        Assert.Equal(1, header.Epoch);
        Assert.Equal(3, header.FragmentLength);
        Assert.Equal(16, header.RecordLength);
    }

    [Fact]
    public void TryRead_RejectsEveryTruncation_AndNeverThrowsOnCorruptions()
    {
        foreach (byte[] truncated in HostileInput.Truncations(s_record))
        {
            Assert.False(DtlsRecordHeader.TryRead(truncated, out _));
        }

        foreach ((int _, byte[] corrupted) in HostileInput.Corruptions(s_record))
        {
            if (DtlsRecordHeader.TryRead(corrupted, out DtlsRecordHeader header))
            {
                Assert.InRange(header.RecordLength, 13, corrupted.Length);
            }

            DtlsDatagrams.Screen(corrupted, 24);
            Assert.InRange(DtlsDatagrams.NextDatagramLength(corrupted, 1200), 0, corrupted.Length);
        }
    }

    [Fact]
    public void NextDatagramLength_PacksWholeRecordsUpToTheMtu()
    {
        byte[] records = [.. Record(100), .. Record(100), .. Record(100)];

        Assert.Equal(226, DtlsDatagrams.NextDatagramLength(records, 250));
        Assert.Equal(339, DtlsDatagrams.NextDatagramLength(records, 339));
        Assert.Equal(113, DtlsDatagrams.NextDatagramLength(records, 120));
    }

    [Fact]
    public void NextDatagramLength_SendsARecordLargerThanTheMtuOnItsOwn_AndUnparsableBytesWhole()
    {
        byte[] records = [.. Record(500), .. Record(10)];

        Assert.Equal(513, DtlsDatagrams.NextDatagramLength(records, 300));
        Assert.Equal(5, DtlsDatagrams.NextDatagramLength([1, 2, 3, 4, 5], 300));
    }

    [Fact]
    public void Screen_AcceptsWhatPeersSend()
    {
        Assert.Equal(DtlsScreening.Accept, DtlsDatagrams.Screen(Record(100, contentType: 22), 24));
        Assert.Equal(DtlsScreening.Accept, DtlsDatagrams.Screen([.. Record(1, contentType: 20), .. Record(2, contentType: 21)], 24));
        Assert.Equal(DtlsScreening.AcceptWithEpochOne, DtlsDatagrams.Screen([.. Record(1, contentType: 20), .. Record(40, epoch: 1)], 24));
        Assert.Equal(DtlsScreening.AcceptWithEpochOne, DtlsDatagrams.Screen(Record(18, contentType: 21, epoch: 1), 16));

        // Trailing bytes that are not a record are left to OpenSSL, which discards them.
        Assert.Equal(DtlsScreening.Accept, DtlsDatagrams.Screen([.. Record(10), 0x16, 0xFE], 24));
    }

    [Fact]
    public void Screen_RejectsWhatNoWellBehavedPeerSends()
    {
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen([], 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen([0x16, 0xFE, 0xFD], 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen(Record(40, contentType: 23), 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen(Record(40, contentType: 24), 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen(Record(40, contentType: 19), 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen(Record(23, epoch: 1), 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen(Record(40, epoch: 2), 24));
        Assert.Equal(DtlsScreening.Reject, DtlsDatagrams.Screen([.. Record(10), .. Record(40, epoch: 2)], 24));
    }

    private static byte[] Record(int fragmentLength, byte contentType = 22, ushort epoch = 0) =>
        HostileDatagrams.Record(contentType, epoch, 0, new byte[fragmentLength]);
}
