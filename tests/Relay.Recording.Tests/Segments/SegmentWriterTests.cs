using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;

namespace Relay.Recording.Tests.Segments;

public sealed class SegmentWriterTests
{
    private static readonly Guid s_id = Guid.Parse("0193a4f2-0000-7000-8000-000000000001");

    [Fact]
    public async Task Packets_are_read_back_in_order_with_their_arrival_track_kind_and_bytes()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(), new RecordingCounters(), new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video, TestRecordings.Audio], 1_000_000);
        for (ushort i = 0; i < 50; i++)
        {
            Assert.True(writer.TryAppend(1_000_000 + (i * 20_000), (byte)(i % 2), i % 10 == 9 ? RecordedPacketKind.Rtcp : RecordedPacketKind.Rtp, TestRecordings.Rtp(i, 100 + i)));
        }

        writer.Complete(2_500_000);
        await writer.Completion;

        SegmentInfo segment = Assert.Single(sink.Segments);
        Assert.Equal(2_500_000, segment.EndMicroseconds);
        Assert.Equal(50, segment.PacketCount);
        SegmentReader reader = SegmentReader.Open(Path.Combine(directory.Path, segment.FileName));
        Assert.Equal(SegmentReadStatus.Closed, reader.Status);
        Assert.Equal(s_id, reader.Header!.RecordingId);
        Assert.Equal([TestRecordings.Video, TestRecordings.Audio], reader.Header.Tracks);
        var packets = reader.ReadPackets().ToList();
        Assert.Equal(50, packets.Count);
        for (ushort i = 0; i < 50; i++)
        {
            Assert.Equal(1_000_000 + (i * 20_000), packets[i].ArrivalMicroseconds);
            Assert.Equal(i % 2, packets[i].TrackIndex);
            Assert.Equal(i % 10 == 9 ? RecordedPacketKind.Rtcp : RecordedPacketKind.Rtp, packets[i].Kind);
            Assert.True(packets[i].Data.Span.SequenceEqual(TestRecordings.Rtp(i, 100 + i)));
        }
    }

    [Fact]
    public async Task A_segment_rolls_once_it_spans_the_segment_duration()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(TimeSpan.FromSeconds(10)), new RecordingCounters(), new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video], 0);
        for (ushort i = 0; i < 250; i++)
        {
            writer.TryAppend(i * 100_000L, 0, RecordedPacketKind.Rtp, TestRecordings.Rtp(i, 50));
        }

        writer.Complete(25_000_000);
        await writer.Completion;

        Assert.Equal([0, 1, 2], sink.Segments.Select(static s => s.Index));
        Assert.Equal([0L, 10_000_000, 20_000_000], sink.Segments.Select(static s => s.StartMicroseconds));
        Assert.Equal([10_000_000L, 20_000_000, 25_000_000], sink.Segments.Select(static s => s.EndMicroseconds));
        Assert.Equal([100L, 100, 50], sink.Segments.Select(static s => s.PacketCount));
    }

    [Fact]
    public async Task A_segment_rolls_before_it_would_pass_the_size_limit()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(maxBytes: 64 * 1024), new RecordingCounters(), new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video], 0);
        for (ushort i = 0; i < 200; i++)
        {
            writer.TryAppend(i, 0, RecordedPacketKind.Rtp, TestRecordings.Rtp(i, 1000));
        }

        writer.Complete(200);
        await writer.Completion;

        Assert.True(sink.Segments.Count >= 4);
        Assert.All(sink.Segments, static s => Assert.True(s.Length <= 64 * 1024));
        Assert.Equal(200, sink.Segments.Sum(static s => s.PacketCount));
    }

    [Fact]
    public async Task The_hash_of_a_closed_segment_is_the_SHA256_of_its_file_and_it_is_counted()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var counters = new RecordingCounters();
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(), counters, new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video], 0);
        for (ushort i = 0; i < 20; i++)
        {
            writer.TryAppend(i, 0, RecordedPacketKind.Rtp, TestRecordings.Rtp(i));
        }

        writer.Complete(20);
        await writer.Completion;

        SegmentInfo segment = Assert.Single(sink.Segments);
        byte[] file = File.ReadAllBytes(Path.Combine(directory.Path, segment.FileName));
        Assert.Equal(SHA256.HashData(file), segment.Sha256);
        Assert.Equal(file.Length, segment.Length);
        Assert.Equal(20, counters.PacketsRecorded);
        Assert.Equal(20 * (12 + 1012), counters.BytesRecorded);
        Assert.Equal(1, counters.SegmentsClosed);
        Assert.Equal(0, counters.PacketsDropped);
    }

    [Fact]
    public async Task The_publisher_going_closes_the_segment_and_new_tracks_open_the_next()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(), new RecordingCounters(), new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video], 0);
        writer.TryAppend(10, 0, RecordedPacketKind.Rtp, TestRecordings.Rtp(1));
        writer.CloseSegment(20);
        writer.AddGap(new RecordingGap(20, 30, RecordingGapReason.PublisherReconnect));
        writer.ChangeTracks([TestRecordings.Video, TestRecordings.Audio], 30);
        writer.TryAppend(40, 1, RecordedPacketKind.Rtp, TestRecordings.Rtp(2));
        writer.Complete(50);
        await writer.Completion;

        Assert.Equal([20L, 50], sink.Segments.Select(static s => s.EndMicroseconds));
        Assert.Equal(new RecordingGap(20, 30, RecordingGapReason.PublisherReconnect), Assert.Single(sink.Gaps));
        Assert.Equal(2, sink.TrackChanges.Count);
        Assert.Equal(2, SegmentReader.Open(Path.Combine(directory.Path, sink.Segments[1].FileName)).Header!.Tracks.Count);
    }

    [Fact]
    public async Task Recordings_started_at_different_times_drain_on_the_same_ticks_so_one_wake_up_of_the_writer_thread_serves_them_all()
    {
        using var directory = new TempDirectory();
        using var gate = new ManualResetEventSlim(false);
        var first = new SegmentWriter(directory.Path, Guid.NewGuid(), TestRecordings.Options(), new RecordingCounters(), new ListLogger(), new CollectingSink()) { StorageGateForTesting = gate };
        var second = new SegmentWriter(directory.Path, Guid.NewGuid(), TestRecordings.Options(), new RecordingCounters(), new ListLogger(), new CollectingSink()) { StorageGateForTesting = gate };
        // Let the writer thread make its first visit, then move both far past its clock, where only this test moves them.
        await Task.Delay(50);
        const long Far = 5_000_000_000_000_000;

        first.DrainIfDue(Far + 1);
        second.DrainIfDue(Far + 3);

        Assert.Equal(Far + 5, first.NextDrainAt);
        Assert.Equal(Far + 5, second.NextDrainAt);
        Assert.False(second.DrainIfDue(Far + 4));
        Assert.Equal(Far + 5, second.NextDrainAt);

        gate.Set();
        foreach (SegmentWriter writer in new[] { first, second })
        {
            writer.Complete(0);
            Assert.True(writer.DrainIfDue(Far + 5));
            await writer.Completion;
        }
    }

    [Fact]
    public async Task A_stalled_store_drops_and_counts_packets_says_so_and_records_a_gap_when_it_recovers()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var counters = new RecordingCounters();
        var logger = new ListLogger();
        using var gate = new ManualResetEventSlim(true);
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(highWater: 64 * 1024), counters, logger, sink)
        {
            StorageGateForTesting = gate,
        };
        writer.ChangeTracks([TestRecordings.Video], 0);
        await TestRecordings.WaitDrainedAsync(writer);
        gate.Reset();
        await Task.Delay(50);

        int accepted = 0;
        for (ushort i = 0; i < 200; i++)
        {
            accepted += writer.TryAppend(1000 + i, 0, RecordedPacketKind.Rtp, TestRecordings.Rtp(i)) ? 1 : 0;
        }

        Assert.True(writer.IsStalled);
        Assert.InRange(accepted, 50, 70);
        Assert.Equal(200 - accepted, counters.PacketsDropped);
        Assert.Equal(200 - accepted, writer.DroppedPackets);
        Assert.Equal(1, counters.Stalls);
        Assert.Equal(1, counters.StalledRecordings);
        Assert.Contains(logger.Entries, static e => e.Level == LogLevel.Error && e.EventId == 101);

        gate.Set();
        await TestRecordings.WaitDrainedAsync(writer);
        Assert.True(writer.TryAppend(5000, 0, RecordedPacketKind.Rtp, TestRecordings.Rtp(999)));
        Assert.False(writer.IsStalled);
        Assert.Equal(0, counters.StalledRecordings);
        writer.Complete(6000);
        await writer.Completion;

        RecordingGap gap = Assert.Single(sink.Gaps);
        Assert.Equal(new RecordingGap(1000 + accepted, 5000, RecordingGapReason.StorageStall, 200 - accepted), gap);
        Assert.Equal(accepted + 1, sink.Segments.Sum(static s => s.PacketCount));
        Assert.Contains(logger.Entries, static e => e.Level == LogLevel.Warning && e.EventId == 102);
    }

    [Fact]
    public async Task Appending_a_packet_allocates_nothing()
    {
        using var directory = new TempDirectory();
        var sink = new CollectingSink();
        var writer = new SegmentWriter(directory.Path, s_id, TestRecordings.Options(), new RecordingCounters(), new ListLogger(), sink);
        writer.ChangeTracks([TestRecordings.Video], 0);
        byte[] packet = TestRecordings.Rtp(1, 1100);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 200; i++)
            {
                writer.TryAppend(i, 0, RecordedPacketKind.Rtp, packet);
            }

            await TestRecordings.WaitDrainedAsync(writer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            writer.TryAppend(1000 + i, 0, RecordedPacketKind.Rtp, packet);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        writer.Complete(2000);
        await writer.Completion;
        Assert.Equal(0, allocated);
    }
}
