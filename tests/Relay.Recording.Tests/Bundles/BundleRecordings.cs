using System.IO.Compression;
using Relay.Media.Streams;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Recording.Tests.Packetization;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Bundles;

/// <summary>Real recordings for the bundle tests: test-clip packets fed through a <see cref="StreamRecorder"/> as the stream would, and zips to take apart.</summary>
internal static class BundleRecordings
{
    /// <summary>
    /// Records <paramref name="streams"/> (merged in arrival order) in a new directory under
    /// <paramref name="recordingsDirectory"/> with 1 s segments. A silence of more than a second in the
    /// arrivals is a publisher reconnect (gone, then attached again). With <paramref name="trail"/>, the
    /// trail is written as <c>location.jsonl</c> and its hash signed into the manifest.
    /// </summary>
    public static Task<RecordingManifest> RecordAsync(
        string recordingsDirectory, string sessionId, EvidenceSigningKey key, IReadOnlyList<LocationPoint>? trail, params RecordedStream[] streams) =>
        RecordAsync(recordingsDirectory, sessionId, key, trail, TestRecordings.Options(TimeSpan.FromSeconds(1)), streams);

    /// <summary>As above, with the segment writer's <paramref name="options"/> (segment length, high-water mark).</summary>
    public static async Task<RecordingManifest> RecordAsync(
        string recordingsDirectory, string sessionId, EvidenceSigningKey key, IReadOnlyList<LocationPoint>? trail, SegmentWriterOptions options, params RecordedStream[] streams)
    {
        List<RecordedPacket> packets = RecordedStream.Merge(streams);
        long first = packets[0].ArrivalMicroseconds;
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddTicks((first - 1000) * 10));
        long now = first - 1000;
        var recorder = new StreamRecorder(recordingsDirectory, sessionId, options, key, new RecordingCounters(), time, new ListLogger());
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
        RecordingManifest? manifest = await recorder.Completion;
        Assert.NotNull(manifest);
        return manifest;
    }

    public static IReadOnlyList<LocationPoint> Trail(long startMicroseconds) =>
    [
        new(DateTimeOffset.UnixEpoch.AddTicks(startMicroseconds * 10), 51.5007, -0.1246, 5, 12.5, 90, 1.2),
        new(DateTimeOffset.UnixEpoch.AddTicks((startMicroseconds + 1_000_000) * 10), 51.5008, -0.1244, 4.5),
        new(DateTimeOffset.UnixEpoch.AddTicks((startMicroseconds + 2_000_000) * 10), 51.5010, -0.1241, 6),
    ];

    /// <summary>The zip's entries in order, as (name, bytes); duplicates kept.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new List<(string, byte[])>();
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            using Stream stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries.Add((entry.FullName, copy.ToArray()));
        }

        return entries;
    }

    /// <summary>A zip of <paramref name="entries"/> exactly as given (any names, duplicates included).</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in entries)
            {
                using Stream stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>The bundle with <paramref name="change"/> applied to its entry list.</summary>
    public static byte[] Tamper(byte[] zip, Action<List<(string Name, byte[] Bytes)>> change)
    {
        List<(string Name, byte[] Bytes)> entries = Entries(zip);
        change(entries);
        return Zip(entries);
    }

    /// <summary>Flips one bit in the middle of the entry whose name ends with <paramref name="suffix"/>; returns its full name.</summary>
    public static string FlipByte(List<(string Name, byte[] Bytes)> entries, string suffix)
    {
        int index = entries.FindIndex(e => e.Name.EndsWith(suffix, StringComparison.Ordinal));
        Assert.True(index >= 0, "no entry ends with " + suffix);
        byte[] bytes = (byte[])entries[index].Bytes.Clone();
        bytes[bytes.Length / 2] ^= 0x01;
        entries[index] = (entries[index].Name, bytes);
        return entries[index].Name;
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
