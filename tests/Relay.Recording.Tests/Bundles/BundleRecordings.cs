using System.IO.Compression;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Testing.Recording.Packetization;
using Relay.Testing.Recording.Recorder;

namespace Relay.Recording.Tests.Bundles;

/// <summary>Real recordings for the bundle tests (<see cref="ClipRecorder"/>, in 1 s segments) and zips to take apart.</summary>
internal static class BundleRecordings
{
    /// <summary>Records <paramref name="streams"/> as <see cref="ClipRecorder.RecordAsync"/> does, in 1 s segments.</summary>
    public static Task<RecordingManifest> RecordAsync(
        string recordingsDirectory, string sessionId, EvidenceSigningKey key, IReadOnlyList<LocationPoint>? trail, params RecordedStream[] streams) =>
        ClipRecorder.RecordAsync(recordingsDirectory, sessionId, key, trail, TestRecordings.Options(TimeSpan.FromSeconds(1)), streams);

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
}
