using System.IO.Compression;
using System.Security.Cryptography;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;

namespace Relay.Recording.Bundles;

/// <summary>
/// Writes an evidence bundle (a zip, laid out as <see cref="BundleNames"/> says): per recording its
/// signed manifest, the raw segments it lists, its location trail (as recorded, and as GPX) and a
/// playable file made by the <see cref="IRecordingExporter"/> (WebM for VP8/Opus, MP4 for H.264; no
/// transcoding); per item the documents given (audit extract, session record); a README for the
/// recipient; and <c>bundle.json</c> listing every file's size and SHA-256, signed with the node's
/// evidence key. <see cref="EvidenceBundleVerifier"/> checks one offline.
/// </summary>
/// <remarks>
/// A recording that cannot be included whole (no signed manifest yet, a segment missing from its
/// source) is included as far as it goes and said so in the README and <see cref="BundleSummary.Notes"/>:
/// a bundle shows what is held, it does not hide a loss. Nothing grows with a recording's length
/// (issue 5: an hour of video is about 1 GB, a subject access request many of them): segments are read
/// and copied one at a time, the playable file is made by the streaming exporter reading the segments
/// again one at a time (<see cref="StoredSegmentPackets"/>) into a temporary file, and that is hashed
/// as it is copied into the zip.
/// </remarks>
public sealed class EvidenceBundleWriter
{
    /// <summary>A manifest or trail larger than this is not Relay's.</summary>
    private const int MaxDocumentBytes = 64 * 1024 * 1024;

    private readonly EvidenceSigningKey _key;
    private readonly IRecordingExporter _exporter;

    public EvidenceBundleWriter(EvidenceSigningKey key, IRecordingExporter? exporter = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _exporter = exporter ?? new RecordingExporter();
    }

    /// <summary>Writes <paramref name="bundle"/> as a zip to <paramref name="output"/> (left open).</summary>
    public async Task<BundleSummary> WriteAsync(EvidenceBundle bundle, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(output);
        var files = new List<BundleFile>();
        var notes = new List<string>();
        var readme = new BundleReadme(bundle, _key.PublicKey);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (BundleItem item in bundle.Items)
            {
                if (!BundleNames.IsPlainFileName(item.Id) || !seen.Add(item.Id))
                {
                    throw new ArgumentException($"Item id '{item.Id}' is not a plain name or appears twice.", nameof(bundle));
                }

                string folder = BundleNames.ItemFolder(item.Id);
                readme.BeginItem(item, folder);
                foreach (BundleDocument document in item.Documents)
                {
                    if (!BundleNames.IsPlainFileName(document.Name))
                    {
                        throw new ArgumentException($"Document name '{document.Name}' is not a plain file name.", nameof(bundle));
                    }

                    files.Add(Add(zip, folder + document.Name, document.Content, CompressionLevel.Optimal));
                    readme.Document(folder + document.Name, document.Description);
                }

                foreach (IRecordingObjects recording in item.Recordings)
                {
                    await AddRecordingAsync(zip, item, recording, files, notes, readme, cancellationToken).ConfigureAwait(false);
                }
            }

            files.Add(Add(zip, BundleNames.Readme, readme.ToBytes(notes), CompressionLevel.Optimal));
            byte[] list = BundleJson.ToSignedFile(bundle, files, _key);
            Add(zip, BundleNames.BundleJson, list, CompressionLevel.Optimal);
        }

        return new BundleSummary(files, notes, _key.PublicKey);
    }

    private async Task AddRecordingAsync(
        ZipArchive zip, BundleItem item, IRecordingObjects recording, List<BundleFile> files, List<string> notes, BundleReadme readme, CancellationToken cancellationToken)
    {
        string folder = BundleNames.RecordingFolder(item.Id, recording.RecordingId);
        byte[]? manifestFile = await ReadAsync(recording, ManifestFiles.Signed, MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        if (manifestFile is null)
        {
            notes.Add($"{folder}: recording {recording.RecordingId:D} has no signed manifest (it is still recording, or was lost); not included.");
            return;
        }

        files.Add(Add(zip, folder + ManifestFiles.Signed, manifestFile, CompressionLevel.Optimal));
        if (!ManifestJson.TryReadSigned(manifestFile, out RecordingManifest? manifest, out _, out _, out string? error))
        {
            notes.Add($"{folder}{ManifestFiles.Signed}: unreadable ({error}); its segments could not be found or exported.");
            return;
        }

        var held = new List<string>();
        long packets = 0;
        int missing = 0;
        foreach (ManifestSegment segment in manifest!.Segments)
        {
            long? count = await AddSegmentAsync(zip, recording, folder, segment.FileName, files, cancellationToken).ConfigureAwait(false);
            if (count is null)
            {
                missing++;
                notes.Add($"{folder}{segment.FileName}: listed in the manifest but not held; not included.");
                continue;
            }

            packets += count.Value;
            held.Add(segment.FileName);
        }

        byte[]? trail = await ReadAsync(recording, LocationTrailFile.Name, MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        bool hasGpx = false;
        if (trail is not null)
        {
            files.Add(Add(zip, folder + LocationTrailFile.Name, trail, CompressionLevel.Optimal));
            try
            {
                IReadOnlyList<Export.LocationPoint> points = LocationTrailFile.Parse(trail);
                using var gpx = new MemoryStream();
                GpxWriter.Write(gpx, points, item.Title);
                files.Add(Add(zip, folder + BundleNames.Gpx, gpx.ToArray(), CompressionLevel.Optimal));
                hasGpx = true;
            }
            catch (InvalidDataException e)
            {
                notes.Add($"{folder}{LocationTrailFile.Name}: {e.Message} No GPX was made from it.");
            }
        }
        else if (manifest.LocationTrailSha256 is not null)
        {
            notes.Add($"{folder}{LocationTrailFile.Name}: the manifest records a location trail that is not held; not included.");
        }

        ExportReport? report = null;
        string? playable = null;
        if (packets > 0)
        {
            ExportContainer container = RecordingExporter.ChooseContainer(manifest.Tracks);
            string temporary = Path.Combine(Path.GetTempPath(), "relay-bundle-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose))
                {
                    report = _exporter.Export(manifest.Tracks, new StoredSegmentPackets(recording, held, cancellationToken), file, container);
                    if (report.Tracks.Any(static t => t.Included))
                    {
                        playable = BundleNames.PlayableStem + (container == ExportContainer.Mp4 ? ".mp4" : ".webm");
                        file.Position = 0;
                        files.Add(await AddAsync(zip, folder + playable, file, cancellationToken).ConfigureAwait(false));
                    }
                    else
                    {
                        notes.Add($"{folder}: no track of recording {recording.RecordingId:D} could be made playable; the raw segments are included.");
                    }
                }
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        readme.Recording(folder, manifest, playable, report, hasGpx, trail is not null, missing);
    }

    /// <summary>
    /// Copies one segment into the zip; returns how many packets it holds, or null if it is not held.
    /// Its own method so the segment's bytes are let go when it returns (an async method's locals live
    /// as long as it does).
    /// </summary>
    private static async Task<long?> AddSegmentAsync(
        ZipArchive zip, IRecordingObjects recording, string folder, string name, List<BundleFile> files, CancellationToken cancellationToken)
    {
        byte[]? bytes = BundleNames.IsPlainFileName(name)
            ? await ReadAsync(recording, name, int.MaxValue, cancellationToken).ConfigureAwait(false)
            : null;
        if (bytes is null)
        {
            return null;
        }

        files.Add(Add(zip, folder + name, bytes, CompressionLevel.NoCompression));
        return SegmentReader.FromBytes(bytes).PacketCount;
    }

    private static async Task<byte[]?> ReadAsync(IRecordingObjects recording, string name, int maxBytes, CancellationToken cancellationToken)
    {
        Stream? stream = await recording.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (buffer.Length > maxBytes)
            {
                throw new InvalidDataException($"{name} of recording {recording.RecordingId:D} is larger than {maxBytes} bytes.");
            }

            return buffer.ToArray();
        }
    }

    private static BundleFile Add(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, level);
        using (Stream stream = entry.Open())
        {
            stream.Write(content);
        }

        return new BundleFile(name, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private static async Task<BundleFile> AddAsync(ZipArchive zip, string name, Stream content, CancellationToken cancellationToken)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        byte[] buffer = new byte[81920];
        Stream stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length += read;
            }
        }

        return new BundleFile(name, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
