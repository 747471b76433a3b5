using System.Text;
using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class SourceDescriptionTests
{
    [Fact]
    public void TryRead_DecodesChromeCname()
    {
        Assert.True(SourceDescription.TryRead(RtcpSamples.Single(RtcpSamples.ChromeCname), out SourceDescription sdes));

        Assert.Equal(1, sdes.ChunkCount);
        int chunks = 0;
        foreach (SourceDescriptionChunk chunk in sdes.Chunks)
        {
            chunks++;
            Assert.Equal(0x9f65e742u, chunk.Ssrc);
            int items = 0;
            foreach (SourceDescriptionItem item in chunk.Items)
            {
                items++;
                Assert.Equal(SdesItemType.Cname, item.Type);
                Assert.Equal(RtcpSamples.ChromeCnameText, Encoding.ASCII.GetString(item.Value));
            }

            Assert.Equal(1, items);
        }

        Assert.Equal(1, chunks);
    }

    [Fact]
    public void Writer_ReproducesChromeCname()
    {
        byte[] written = RtcpSamples.Serialize(new SourceDescriptionWriter(0x9f65e742, RtcpSamples.Ascii(RtcpSamples.ChromeCnameText)));

        Assert.Equal(RtcpSamples.ChromeCname, written);
    }

    [Fact]
    public void Writer_ReproducesFirefoxCnameWithAWholeWordOfNulls()
    {
        byte[] written = RtcpSamples.Serialize(new SourceDescriptionWriter(0x902f9e2e, RtcpSamples.Ascii(RtcpSamples.FirefoxCname)));

        Assert.Equal(RtcpSamples.FirefoxReceiverReportAndCname.AsSpan(32).ToArray(), written);
    }

    [Theory]
    [InlineData(0, "0000")]
    [InlineData(1, "00")]
    [InlineData(2, "00000000")]
    [InlineData(3, "000000")]
    [InlineData(4, "0000")]
    [InlineData(5, "00")]
    public void Writer_EndsChunkWithNullsToTheNextWord(int cnameLength, string nulls)
    {
        byte[] cname = Enumerable.Repeat((byte)'a', cnameLength).ToArray();
        byte[] expected = RtcpSamples.Concat(RtcpSamples.Hex("01", cnameLength.ToString("x2", null)), cname, RtcpSamples.Hex(nulls));

        byte[] written = RtcpSamples.Serialize(new SourceDescriptionWriter(1, cname));

        Assert.Equal(expected, written.AsSpan(8).ToArray());
        Assert.True(SourceDescription.TryRead(RtcpSamples.Single(written), out SourceDescription sdes));
        SourceDescriptionChunkEnumerator chunks = sdes.Chunks;
        Assert.True(chunks.MoveNext());
        Assert.True(chunks.Current.TryGetItem(SdesItemType.Cname, out ReadOnlySpan<byte> value));
        Assert.Equal(cname, value.ToArray());
    }

    [Fact]
    public void RoundTrip_KeepsChunksAndItemsInOrder()
    {
        SourceDescriptionEntry[] entries =
        [
            new(1234, SdesItemType.Cname, Encoding.UTF8.GetBytes("qwerty")),
            new(1234, SdesItemType.Tool, Encoding.UTF8.GetBytes("iñaki")),
            new(5678, SdesItemType.Location, Encoding.UTF8.GetBytes("somewhere œæ€")),
            new(9, SdesItemType.Note, ReadOnlyMemory<byte>.Empty),
            new(9, SdesItemType.Private, new byte[] { 1, (byte)'x', (byte)'v' }),
        ];

        byte[] written = RtcpSamples.Serialize(new SourceDescriptionWriter(entries));

        Assert.Equal(0x83, written[0]);
        Assert.True(SourceDescription.TryRead(RtcpSamples.Single(written), out SourceDescription sdes));
        Assert.Equal(3, sdes.ChunkCount);
        var read = new List<SourceDescriptionEntry>();
        foreach (SourceDescriptionChunk chunk in sdes.Chunks)
        {
            foreach (SourceDescriptionItem item in chunk.Items)
            {
                read.Add(new SourceDescriptionEntry(chunk.Ssrc, item.Type, item.Value.ToArray()));
            }
        }

        Assert.Equal(entries.Length, read.Count);
        for (int i = 0; i < entries.Length; i++)
        {
            Assert.Equal(entries[i].Ssrc, read[i].Ssrc);
            Assert.Equal(entries[i].Type, read[i].Type);
            Assert.Equal(entries[i].Value.ToArray(), read[i].Value.ToArray());
        }
    }

    [Fact]
    public void TryRead_AcceptsChunkWithNoItems()
    {
        byte[] packet = RtcpSamples.Hex("81 ca 0002", "11223344", "00000000");

        Assert.True(SourceDescription.TryRead(RtcpSamples.Single(packet), out SourceDescription sdes));
        SourceDescriptionChunkEnumerator chunks = sdes.Chunks;
        Assert.True(chunks.MoveNext());
        Assert.Equal(0x11223344u, chunks.Current.Ssrc);
        Assert.False(chunks.Current.Items.MoveNext());
        Assert.False(chunks.Current.TryGetItem(SdesItemType.Cname, out _));
    }

    [Theory]
    [InlineData("81 ca 0002", "11223344", "08 02 6162")]
    [InlineData("81 ca 0002", "11223344", "01 05 6162")]
    [InlineData("81 ca 0003", "11223344", "01 02 6162", "01020304")]
    [InlineData("82 ca 0004", "11223344", "00000000", "55667788", "01 02 6162")]
    [InlineData("81 ca 0004", "11223344", "00000000", "55667788", "00000000")]
    public void TryRead_RejectsChunksThatDisagreeWithTheLength(params string[] hex)
    {
        // Missing END, an item running past the packet, no END before the packet ends,
        // a second chunk without END, and bytes left over after the last chunk.
        Assert.True(RtcpPacket.TryRead(RtcpSamples.Hex(hex), out RtcpPacket packet));

        Assert.False(SourceDescription.TryRead(packet, out _));
    }

    [Fact]
    public void Writer_RejectsItemLongerThan255()
    {
        byte[] cname = new byte[256];

        Assert.Throws<ArgumentException>(() => new SourceDescriptionWriter(1, cname));
    }

    [Fact]
    public void Writer_RejectsEndAsAnItem()
    {
        SourceDescriptionEntry[] entries = [new(1, SdesItemType.End, ReadOnlyMemory<byte>.Empty)];

        Assert.Throws<ArgumentException>(() => new SourceDescriptionWriter(entries));
    }

    [Fact]
    public void Writer_RejectsMoreThan31Chunks()
    {
        SourceDescriptionEntry[] entries = Enumerable.Range(0, 32)
            .Select(i => new SourceDescriptionEntry((uint)i, SdesItemType.Cname, new byte[] { 1 }))
            .ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceDescriptionWriter(entries));
    }
}
