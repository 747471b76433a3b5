using System.Buffers.Binary;
using Relay.Media.Streams;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;

namespace Relay.Recording.Tests;

/// <summary>Packets, tracks and directories for the recording tests.</summary>
internal static class TestRecordings
{
    public static readonly RecordedTrack Video = new(0, MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 0, null);

    public static readonly RecordedTrack Audio = new(1, MediaTrackKind.Audio, MediaCodec.Opus, 48000, 111, 2, "minptime=10;useinbandfec=1");

    public static readonly PublishedTrack PublishedVideo = new(MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 97, 1111, 2222, "0", null);

    public static readonly PublishedTrack PublishedAudio = new(MediaTrackKind.Audio, MediaCodec.Opus, 48000, 111, null, 3333, null, "1", null, false, 2, "minptime=10;useinbandfec=1");

    /// <summary>An RTP packet whose payload bytes follow from its sequence number, so any damage shows.</summary>
    public static byte[] Rtp(ushort sequence, int payloadLength = 1000, byte payloadType = 96, uint ssrc = 1111)
    {
        byte[] packet = new byte[12 + payloadLength];
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < payloadLength; i++)
        {
            packet[12 + i] = (byte)(sequence + i);
        }

        return packet;
    }

    public static ushort SequenceOf(ReadOnlySpan<byte> rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp.Slice(2));

    public static SegmentWriterOptions Options(TimeSpan? duration = null, long maxBytes = 64L * 1024 * 1024, long highWater = 8L * 1024 * 1024) => new()
    {
        SegmentDuration = duration ?? TimeSpan.FromSeconds(10),
        SegmentMaxBytes = maxBytes,
        HighWaterBytes = highWater,
        DrainInterval = TimeSpan.FromMilliseconds(5),
    };

    /// <summary>Waits (polling, bounded) until the writer task has taken everything appended.</summary>
    public static async Task WaitDrainedAsync(SegmentWriter writer)
    {
        for (int i = 0; i < 2000 && writer.PendingBytes != 0; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(0, writer.PendingBytes);
    }
}

/// <summary>A directory under the temp folder, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "relay-recording-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a <see cref="SegmentWriter"/> reported.</summary>
internal sealed class CollectingSink : ISegmentSink
{
    private readonly TaskCompletionSource<long> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<SegmentInfo> Segments { get; } = [];

    public List<RecordingGap> Gaps { get; } = [];

    public List<IReadOnlyList<RecordedTrack>> TrackChanges { get; } = [];

    public Task<long> Completed => _completed.Task;

    public void OnTracksChanged(IReadOnlyList<RecordedTrack> tracks) => TrackChanges.Add(tracks);

    public void OnSegmentClosed(SegmentInfo segment) => Segments.Add(segment);

    public void OnGap(RecordingGap gap) => Gaps.Add(gap);

    public void OnCompleted(long endMicroseconds) => _completed.TrySetResult(endMicroseconds);
}

/// <summary>A logger that keeps what it is told.</summary>
internal sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(Microsoft.Extensions.Logging.LogLevel Level, int EventId, string Message)> _entries = [];

    public IReadOnlyList<(Microsoft.Extensions.Logging.LogLevel Level, int EventId, string Message)> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _entries.Add((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
