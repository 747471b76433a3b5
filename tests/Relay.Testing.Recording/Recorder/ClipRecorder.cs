using Microsoft.Extensions.Logging.Abstractions;
using Relay.Media.Streams;
using Relay.Recording;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Testing.Recording.Packetization;
using Relay.Testing.Time;

namespace Relay.Testing.Recording.Recorder;

/// <summary>Real recordings of test clips: their packets fed through a <see cref="StreamRecorder"/> as the stream would, into segment files and a signed manifest.</summary>
public static class ClipRecorder
{
    /// <summary>
    /// Records <paramref name="streams"/> (merged in arrival order) in a new directory under
    /// <paramref name="recordingsDirectory"/> with the segment writer's <paramref name="options"/>, on a
    /// manual clock that follows the packets' arrival times. A silence of more than a second in the
    /// arrivals is a publisher reconnect (gone, then attached again). With <paramref name="trail"/>, the
    /// trail is written as <c>location.jsonl</c> and its hash signed into the manifest.
    /// </summary>
    public static async Task<RecordingManifest> RecordAsync(
        string recordingsDirectory, string sessionId, EvidenceSigningKey key, IReadOnlyList<LocationPoint>? trail, SegmentWriterOptions options, params RecordedStream[] streams)
    {
        List<RecordedPacket> packets = RecordedStream.Merge(streams);
        long first = packets[0].ArrivalMicroseconds;
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddTicks((first - 1000) * 10));
        long now = first - 1000;
        var recorder = new StreamRecorder(recordingsDirectory, sessionId, options, key, new RecordingCounters(), time, NullLogger.Instance);
        PublishedTrack[] published = [.. streams.Select(s => Published(s.Track))];
        var indexOf = new Dictionary<byte, int>();
        for (int i = 0; i < streams.Length; i++)
        {
            indexOf[streams[i].Track.Index] = i;
        }

        recorder.OnPublisherAttached(published, time.GetTimestamp());
        long previous = first;
        foreach (RecordedPacket packet in packets)
        {
            if (packet.ArrivalMicroseconds - previous > 1_000_000)
            {
                Advance(time, ref now, previous + 1000);
                recorder.OnPublisherGone(time.GetTimestamp());
                Advance(time, ref now, packet.ArrivalMicroseconds - 1000);
                recorder.OnPublisherAttached(published, time.GetTimestamp());
            }

            Advance(time, ref now, packet.ArrivalMicroseconds);
            if (packet.Kind == RecordedPacketKind.Rtp)
            {
                recorder.OnRtp(indexOf[packet.TrackIndex], time.GetTimestamp(), packet.Data.Span);
            }
            else
            {
                recorder.OnRtcp(indexOf[packet.TrackIndex], time.GetTimestamp(), packet.Data.Span);
            }

            previous = packet.ArrivalMicroseconds;
        }

        if (trail is not null)
        {
            byte[] bytes = LocationTrailFile.ToBytes(trail);
            // The writer task makes the directory when it takes the first tracks; it may not have yet.
            Directory.CreateDirectory(recorder.Directory);
            await File.WriteAllBytesAsync(Path.Combine(recorder.Directory, LocationTrailFile.Name), bytes);
            recorder.SetLocationTrailSha256(LocationTrailFile.Sha256(bytes));
        }

        Advance(time, ref now, previous + 1000);
        recorder.OnEnded(time.GetTimestamp());
        return await recorder.Completion ?? throw new InvalidOperationException("The recorder ended without a manifest.");
    }

    private static PublishedTrack Published(RecordedTrack track) =>
        new(track.Kind, track.Codec, track.ClockRate, track.PayloadType, null, null, null, track.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), null, false, track.Channels, track.FormatParameters);

    private static void Advance(ManualTimeProvider time, ref long now, long toMicroseconds)
    {
        if (toMicroseconds > now)
        {
            time.Advance(TimeSpan.FromTicks((toMicroseconds - now) * 10));
            now = toMicroseconds;
        }
    }
}
