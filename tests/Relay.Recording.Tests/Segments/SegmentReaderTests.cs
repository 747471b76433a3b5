using System.Buffers.Binary;
using Relay.Recording.Segments;
using Relay.Testing;

namespace Relay.Recording.Tests.Segments;

public sealed class SegmentReaderTests
{
    private static readonly Lazy<Task<byte[]>> s_valid = new(WriteValidAsync);

    [Fact]
    public async Task A_closed_segment_reads_whole()
    {
        byte[] valid = await s_valid.Value;
        SegmentReader reader = SegmentReader.FromBytes(valid);

        Assert.Equal(SegmentReadStatus.Closed, reader.Status);
        Assert.Null(reader.Error);
        Assert.Equal(6, reader.PacketCount);
        Assert.Equal(900, reader.CloseMicroseconds);
        Assert.Equal(valid.Length - SegmentFormat.CloseRecordLength, reader.RecordsEnd);
    }

    [Fact]
    public async Task Every_truncation_is_reported_and_reads_a_prefix_of_the_packets()
    {
        byte[] valid = await s_valid.Value;
        var whole = SegmentReader.FromBytes(valid).ReadPackets().Select(static p => p.Data.ToArray()).ToList();
        int headerLength = SegmentFormat.GetHeaderLength([TestRecordings.Video, TestRecordings.Audio]);
        foreach (byte[] truncated in HostileInput.Truncations(valid))
        {
            SegmentReader reader = SegmentReader.FromBytes(truncated);
            var packets = reader.ReadPackets().ToList();

            Assert.NotEqual(SegmentReadStatus.Closed, reader.Status);
            Assert.NotNull(reader.Error);
            if (truncated.Length < headerLength)
            {
                Assert.Equal(SegmentReadStatus.BadHeader, reader.Status);
                Assert.Empty(packets);
                continue;
            }

            Assert.True(reader.Status is SegmentReadStatus.TornTail or SegmentReadStatus.Unclosed, $"{truncated.Length}: {reader.Status}");
            Assert.Equal(packets.Count, reader.PacketCount);
            for (int i = 0; i < packets.Count; i++)
            {
                Assert.True(packets[i].Data.Span.SequenceEqual(whole[i]));
            }
        }
    }

    [Fact]
    public async Task Random_corruptions_are_reported_never_thrown()
    {
        byte[] valid = await s_valid.Value;
        foreach ((int seed, byte[] corrupted) in HostileInput.Corruptions(valid, seeds: 100, perSeed: 20))
        {
            SegmentReader reader = SegmentReader.FromBytes(corrupted);
            long bytes = 0;
            foreach (RecordedPacket packet in reader.ReadPackets())
            {
                bytes += packet.Data.Length;
            }

            Assert.True(bytes <= corrupted.Length, $"seed {seed}");
            Assert.True(reader.Status == SegmentReadStatus.Closed || reader.Error is not null, $"seed {seed}");
        }
    }

    [Fact]
    public async Task A_close_record_counting_other_packets_is_malformed()
    {
        byte[] bytes = (byte[])(await s_valid.Value).Clone();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), 5);

        SegmentReader reader = SegmentReader.FromBytes(bytes);

        Assert.Equal(SegmentReadStatus.Malformed, reader.Status);
        Assert.Contains("counts 5 packets, the segment holds 6", reader.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_after_the_close_record_are_malformed()
    {
        byte[] bytes = [.. await s_valid.Value, 0, 0, 0];

        Assert.Equal(SegmentReadStatus.Malformed, SegmentReader.FromBytes(bytes).Status);
    }

    [Fact]
    public async Task A_record_of_an_unknown_track_stops_the_reading_there()
    {
        byte[] bytes = (byte[])(await s_valid.Value).Clone();
        int headerLength = SegmentFormat.GetHeaderLength([TestRecordings.Video, TestRecordings.Audio]);
        bytes[headerLength + 8] = 7;

        SegmentReader reader = SegmentReader.FromBytes(bytes);

        Assert.Equal(SegmentReadStatus.Malformed, reader.Status);
        Assert.Empty(reader.ReadPackets());
        Assert.Contains($"byte {headerLength}", reader.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { (byte)'R', (byte)'E', (byte)'L', (byte)'A', (byte)'Y', (byte)'S', (byte)'E', (byte)'G', 2, 0 })]
    public void Something_that_is_not_a_segment_has_a_bad_header(byte[] bytes)
    {
        SegmentReader reader = SegmentReader.FromBytes(bytes);

        Assert.Equal(SegmentReadStatus.BadHeader, reader.Status);
        Assert.Null(reader.Header);
        Assert.Empty(reader.ReadPackets());
    }

    [Fact]
    public async Task A_header_of_another_format_version_is_refused_by_name()
    {
        byte[] bytes = (byte[])(await s_valid.Value).Clone();
        bytes[8] = 2;

        SegmentReader reader = SegmentReader.FromBytes(bytes);

        Assert.Equal(SegmentReadStatus.BadHeader, reader.Status);
        Assert.Contains("version 2", reader.Error, StringComparison.Ordinal);
    }

    private static async Task<byte[]> WriteValidAsync()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var writer = new SegmentWriter(directory.Path, Guid.NewGuid(), TestRecordings.Options(), new RecordingCounters(), new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video, TestRecordings.Audio], 0);
        for (ushort i = 0; i < 6; i++)
        {
            writer.TryAppend(100 * i, (byte)(i % 2), i == 3 ? RecordedPacketKind.Rtcp : RecordedPacketKind.Rtp, TestRecordings.Rtp(i, 20 + i));
        }

        writer.Complete(900);
        await writer.Completion;
        return File.ReadAllBytes(Path.Combine(directory.Path, Assert.Single(sink.Segments).FileName));
    }
}
