using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class GenericNackTests
{
    [Fact]
    public void TryRead_ExpandsPidAndBlp()
    {
        Assert.True(GenericNack.TryRead(RtcpSamples.Single(RtcpSamples.Nack), out GenericNack nack));

        Assert.Equal(1u, nack.SenderSsrc);
        Assert.Equal(0x12345678u, nack.MediaSsrc);
        Assert.Equal(1, nack.PairCount);
        Assert.Equal(new NackPair(100, 0x8001), nack.GetPair(0));
        Assert.Equal(3, nack.GetPair(0).LostCount);
        Assert.Equal([100, 101, 116], Lost(nack));
    }

    [Fact]
    public void Writer_ReproducesTheRfcLayout()
    {
        byte[] written = RtcpSamples.Serialize(new GenericNackWriter(1, 0x12345678, [100, 101, 116]));

        Assert.Equal(RtcpSamples.Nack, written);
    }

    [Fact]
    public void Writer_PacksSeventeenConsecutiveIntoOnePair()
    {
        ushort[] lost = Enumerable.Range(1000, 17).Select(i => (ushort)i).ToArray();

        var writer = new GenericNackWriter(1, 2, lost);
        byte[] written = RtcpSamples.Serialize(writer);

        Assert.Equal(1, writer.PairCount);
        Assert.Equal(RtcpSamples.Hex("03e8 ffff"), written.AsSpan(12).ToArray());
    }

    [Fact]
    public void Writer_StartsANewPairSeventeenAfterThePid()
    {
        var writer = new GenericNackWriter(1, 2, [10, 26, 27]);
        byte[] written = RtcpSamples.Serialize(writer);

        Assert.Equal(2, writer.PairCount);
        Assert.Equal(RtcpSamples.Hex("000a 8000", "001b 0000"), written.AsSpan(12).ToArray());
    }

    [Fact]
    public void Writer_PacksAcrossTheWrapAt65535()
    {
        ushort[] lost = [65533, 65535, 0, 3, 13, 14, 40];

        var writer = new GenericNackWriter(1, 2, lost);
        byte[] written = RtcpSamples.Serialize(writer);

        // 65533 takes 65535 (+2), 0 (+3), 3 (+6) and 13 (+16); 14 is 17 away, so it starts a pair that also takes nothing until 40.
        Assert.Equal(RtcpSamples.Hex("fffd 8026", "000e 0000", "0028 0000"), written.AsSpan(12).ToArray());
        Assert.True(GenericNack.TryRead(RtcpSamples.Single(written), out GenericNack nack));
        Assert.Equal(lost, Lost(nack));
    }

    [Fact]
    public void Enumeration_WrapsFrom65535ToZero()
    {
        byte[] packet = RtcpSamples.Hex("81 cd 0003", "00000001", "00000002", "fffe ffff");

        Assert.True(GenericNack.TryRead(RtcpSamples.Single(packet), out GenericNack nack));

        Assert.Equal([65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], Lost(nack));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RoundTrip_RandomSetsOfLostPackets_ComeBackExactly(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            int start = random.Next(65536);
            var lost = new SortedSet<int>();
            int count = random.Next(1, 120);
            for (int i = 0; i < count; i++)
            {
                lost.Add(random.Next(300));
            }

            ushort[] ordered = lost.Select(offset => (ushort)(start + offset)).ToArray();

            var writer = new GenericNackWriter(11, 22, ordered);
            byte[] written = RtcpSamples.Serialize(writer);

            Assert.True(GenericNack.TryRead(RtcpSamples.Single(written), out GenericNack nack));
            Assert.Equal(ordered, Lost(nack));
            Assert.Equal(writer.PairCount, nack.PairCount);
            Assert.Equal(ordered.Length, Enumerable.Range(0, nack.PairCount).Sum(i => PairAt(written, i).LostCount));
        }
    }

    [Fact]
    public void Writer_ReportsEveryNumberEvenUnsortedOrRepeated()
    {
        ushort[] lost = [50, 10, 12, 50, 11, 9, 65535, 60];

        byte[] written = RtcpSamples.Serialize(new GenericNackWriter(1, 2, lost));

        Assert.True(GenericNack.TryRead(RtcpSamples.Single(written), out GenericNack nack));
        Assert.Equal(lost.Distinct().Order().ToArray(), Lost(nack).Distinct().Order().ToArray());
    }

    [Fact]
    public void Writer_RejectsAnEmptyList()
    {
        Assert.Throws<ArgumentException>(() => new GenericNackWriter(1, 2, []));
    }

    [Theory]
    [InlineData("81 cd 0002", "00000001", "00000002")]
    [InlineData("82 cd 0003", "00000001", "00000002", "0001 0000")]
    [InlineData("81 ce 0003", "00000001", "00000002", "0001 0000")]
    public void TryRead_RejectsNoPairsOrAnotherMessage(params string[] hex)
    {
        Assert.False(GenericNack.TryRead(RtcpSamples.Single(RtcpSamples.Hex(hex)), out _));
    }

    [Fact]
    public void TryRead_RejectsAPartialPair()
    {
        // Two bytes of padding (P bit) leave an FCI of 2 bytes: not a whole pair.
        byte[] packet = RtcpSamples.Hex("a1 cd 0003", "00000001", "00000002", "0001 0002");

        Assert.False(GenericNack.TryRead(RtcpSamples.Single(packet), out _));
    }

    [Fact]
    public void NackAndPliWriting_DoesNotAllocate()
    {
        ushort[] lost = [100, 101, 102, 104, 120, 121, 200];
        byte[] buffer = new byte[1500];
        int total = WriteBoth(lost, buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            total += WriteBoth(lost, buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(total > 0);

        static int WriteBoth(ReadOnlySpan<ushort> lost, Span<byte> buffer)
        {
            var compound = new RtcpCompoundWriter(buffer);
            compound.TryAdd(new GenericNackWriter(1, 2, lost));
            compound.TryAdd(new PictureLossIndication(1, 2));
            return compound.Written;
        }
    }

    private static List<ushort> Lost(GenericNack nack)
    {
        var lost = new List<ushort>();
        foreach (ushort sequenceNumber in nack.LostSequenceNumbers)
        {
            lost.Add(sequenceNumber);
        }

        return lost;
    }

    private static NackPair PairAt(byte[] written, int index)
    {
        GenericNack.TryRead(RtcpSamples.Single(written), out GenericNack nack);
        return nack.GetPair(index);
    }
}
