using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Media.Streams;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Testing.Time;

namespace Relay.Server.Tests.Evidence.Export;

/// <summary>Small real recordings (a recorder writing segments and signing the manifest) with a location trail, for the export tests.</summary>
internal static class ExportTestRecordings
{
    private static readonly PublishedTrack s_video = new(MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, null, 1111, null, "0", null);

    /// <summary>Records 3 s of packets for <paramref name="sessionId"/> under <paramref name="recordingsDirectory"/>, signed by <paramref name="key"/>.</summary>
    public static async Task<RecordingManifest> RecordAsync(string recordingsDirectory, string sessionId, EvidenceSigningKey key)
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero));
        var options = new SegmentWriterOptions
        {
            SegmentDuration = TimeSpan.FromSeconds(1),
            SegmentMaxBytes = 64L * 1024 * 1024,
            HighWaterBytes = 8L * 1024 * 1024,
            DrainInterval = TimeSpan.FromMilliseconds(5),
        };
        var recorder = new StreamRecorder(recordingsDirectory, sessionId, options, key, new RecordingCounters(), time, NullLogger.Instance);
        recorder.OnPublisherAttached([s_video], time.GetTimestamp());
        for (ushort i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            recorder.OnRtp(0, time.GetTimestamp(), Rtp(i));
        }

        byte[] trail = LocationTrailFile.ToBytes([
            new LocationPoint(time.GetUtcNow().AddSeconds(-2), 51.5, -0.12, 5),
            new LocationPoint(time.GetUtcNow().AddSeconds(-1), 51.5001, -0.1201, 4),
        ]);
        // The writer task makes the directory when it takes the first tracks; it may not have yet.
        Directory.CreateDirectory(recorder.Directory);
        await File.WriteAllBytesAsync(Path.Combine(recorder.Directory, LocationTrailFile.Name), trail);
        recorder.SetLocationTrailSha256(LocationTrailFile.Sha256(trail));
        recorder.OnEnded(time.GetTimestamp());
        RecordingManifest? manifest = await recorder.Completion;
        Assert.NotNull(manifest);
        return manifest;
    }

    private static byte[] Rtp(ushort sequence)
    {
        byte[] packet = new byte[12 + 200];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 1111);
        for (int i = 12; i < packet.Length; i++)
        {
            packet[i] = (byte)(sequence + i);
        }

        return packet;
    }
}
