using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Security.Cryptography;
using Relay.Recording.Location;
using Relay.Recording.Manifests;

namespace Relay.Recording.Bundles;

/// <summary>
/// Checks an evidence bundle offline and names every failure (file and reason), not just the first:
/// <c>bundle.json</c>'s signature, every listed file's size and SHA-256, no file missing or unlisted;
/// per recording (with <see cref="ManifestVerifier"/>) the manifest's signature, each segment's SHA-256
/// and the hash chain, and the location trail's SHA-256 against the manifest.
/// </summary>
/// <remarks>
/// A bundle may come from anyone, so it is read as hostile: entry names are never used as paths (a
/// recording's files are copied to a fresh temporary folder under names the verifier makes), names
/// with '..', absolute paths, backslashes or odd characters are refused, duplicate names are refused,
/// entries are read with a byte limit whatever their header says, and garbage (not a zip, not JSON)
/// is reported, never thrown.
/// </remarks>
public static class EvidenceBundleVerifier
{
    /// <summary>Verifies the bundle at <paramref name="path"/>.</summary>
    public static BundleVerification Verify(string path, BundleVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using FileStream file = File.OpenRead(path);
            return Verify(file, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BundleVerification([new BundleProblem(BundleProblem.Archive, "cannot be read: " + e.Message)], null, 0, 0);
        }
    }

    /// <summary>Verifies the bundle in <paramref name="zip"/> (seekable).</summary>
    [SuppressMessage("Design", "CA1031", Justification = "A hostile archive can make the zip reader throw many kinds of exception; each becomes a reported problem.")]
    public static BundleVerification Verify(Stream zip, BundleVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        options ??= new BundleVerifierOptions();
        var problems = new List<BundleProblem>();
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            problems.Add(new BundleProblem(BundleProblem.Archive, "not a readable zip archive (" + e.Message + ")"));
            return new BundleVerification(problems, null, 0, 0);
        }

        string scratch = Directory.CreateTempSubdirectory("relay-verify-").FullName;
        try
        {
            using (archive)
            {
                return Check(archive, options, problems, scratch);
            }
        }
        catch (Exception e)
        {
            problems.Add(new BundleProblem(BundleProblem.Archive, "could not be read to the end (" + e.GetType().Name + ": " + e.Message + ")"));
            return new BundleVerification(problems, null, 0, 0);
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static BundleVerification Check(ZipArchive archive, BundleVerifierOptions options, List<BundleProblem> problems, string scratch)
    {
        if (archive.Entries.Count > options.MaxEntries)
        {
            problems.Add(new BundleProblem(BundleProblem.Archive, $"has {archive.Entries.Count} entries, more than the {options.MaxEntries} a bundle may have; refused unread"));
            return new BundleVerification(problems, null, 0, 0);
        }

        // Names: refuse unsafe ones and duplicates; keep one entry per good name.
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            string name = entry.FullName;
            if (name.EndsWith('/') && entry.Length == 0)
            {
                continue;
            }

            if (!BundleNames.IsSafeEntryPath(name, out string? reason))
            {
                problems.Add(new BundleProblem(BundleNames.Printable(name), "refused: its path has " + reason));
                continue;
            }

            if (!entries.TryAdd(name, entry))
            {
                if (duplicates.Add(name))
                {
                    problems.Add(new BundleProblem(name, "appears more than once in the archive (which copy is the evidence is ambiguous); refused"));
                }

                continue;
            }

            if (!folded.TryAdd(name, name))
            {
                problems.Add(new BundleProblem(name, $"differs from {folded[name]} only in letter case (they would overwrite each other on extraction); refused"));
                duplicates.Add(name);
                duplicates.Add(folded[name]);
            }
        }

        foreach (string name in duplicates)
        {
            entries.Remove(name);
        }

        // bundle.json: the list of files and its signature.
        IReadOnlyList<BundleFile>? listed = null;
        string? signingKey = null;
        if (!entries.Remove(BundleNames.BundleJson, out ZipArchiveEntry? listEntry))
        {
            if (!duplicates.Contains(BundleNames.BundleJson))
            {
                problems.Add(new BundleProblem(BundleNames.BundleJson, "missing: this is not a Relay evidence bundle, or its list of files was removed"));
            }
        }
        else if (TryReadEntry(listEntry, BundleJson.MaxBytes, problems, out byte[]? listBytes))
        {
            if (!BundleJson.TryRead(listBytes, out IReadOnlyList<BundleFile> files, out signingKey, out bool signatureValid, out string? error))
            {
                problems.Add(new BundleProblem(BundleNames.BundleJson, error!));
            }
            else
            {
                listed = files;
                if (!signatureValid)
                {
                    problems.Add(new BundleProblem(BundleNames.BundleJson, "the signature does not match the list (altered, or signed by another key)"));
                }
                else if (options.TrustedPublicKey is not null && options.TrustedPublicKey != signingKey)
                {
                    problems.Add(new BundleProblem(BundleNames.BundleJson, "signed by a key that is not the trusted one"));
                }
            }
        }

        // Every other entry: its size and hash, and the recording files copied out for their manifests.
        var actual = new Dictionary<string, BundleFile>(StringComparer.Ordinal);
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, ZipArchiveEntry entry) in entries)
        {
            string? copyTo = null;
            if (BundleNames.TrySplitRecordingFile(name, out string folder, out string file) && !IsPlayable(file) && file != BundleNames.Gpx)
            {
                if (!folders.TryGetValue(folder, out string? directory))
                {
                    directory = Path.Combine(scratch, folders.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Directory.CreateDirectory(directory);
                    folders.Add(folder, directory);
                }

                if (entry.Length <= options.MaxRecordingFileBytes)
                {
                    copyTo = Path.Combine(directory, file);
                }
                else
                {
                    problems.Add(new BundleProblem(name, $"{entry.Length} bytes, more than the {options.MaxRecordingFileBytes} a recording's file may be to be checked against its manifest"));
                }
            }

            if (Hash(entry, options.MaxEntryBytes, copyTo, problems) is { } hashed)
            {
                actual.Add(name, hashed);
            }
        }

        int filesChecked = 0;
        if (listed is not null)
        {
            var listedNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (BundleFile file in listed)
            {
                if (!listedNames.Add(file.Name))
                {
                    problems.Add(new BundleProblem(BundleNames.Printable(file.Name), "listed more than once in bundle.json"));
                    continue;
                }

                if (actual.TryGetValue(file.Name, out BundleFile? found))
                {
                    filesChecked++;
                    if (found.Bytes != file.Bytes)
                    {
                        problems.Add(new BundleProblem(file.Name, $"{found.Bytes} bytes, bundle.json lists {file.Bytes} (the file was altered)"));
                    }
                    else if (!string.Equals(found.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add(new BundleProblem(file.Name, "SHA-256 does not match bundle.json (the file was altered)"));
                    }
                }
                else if (!entries.ContainsKey(file.Name) && !duplicates.Contains(file.Name))
                {
                    problems.Add(new BundleProblem(BundleNames.Printable(file.Name), "listed in bundle.json but missing from the archive"));
                }
            }

            foreach (string name in entries.Keys)
            {
                if (!listedNames.Contains(name))
                {
                    problems.Add(new BundleProblem(name, "in the archive but not listed in bundle.json (added after the bundle was made)"));
                }
            }
        }

        foreach ((string folder, string directory) in folders)
        {
            CheckRecording(folder, directory, options, problems);
        }

        return new BundleVerification(problems, signingKey, filesChecked, folders.Count);
    }

    private static void CheckRecording(string folder, string directory, BundleVerifierOptions options, List<BundleProblem> problems)
    {
        // ManifestVerifier says "<file>: <what>"; the recording's folder in the bundle goes in front.
        ManifestVerification verification = ManifestVerifier.Verify(directory, options.TrustedPublicKey);
        foreach (string problem in verification.Problems)
        {
            int colon = problem.IndexOf(": ", StringComparison.Ordinal);
            string file = colon > 0 ? problem[..colon] : ManifestFiles.Signed;
            bool named = colon > 0 && BundleNames.IsPlainFileName(file);
            problems.Add(named
                ? new BundleProblem(folder + file, problem[(colon + 2)..])
                : new BundleProblem(folder + ManifestFiles.Signed, problem));
        }

        if (verification.Manifest is not RecordingManifest manifest)
        {
            return;
        }

        string expectedFolder = folder.TrimEnd('/');
        if (!expectedFolder.EndsWith("/" + manifest.RecordingId.ToString("D"), StringComparison.Ordinal))
        {
            problems.Add(new BundleProblem(folder + ManifestFiles.Signed, $"is the manifest of recording {manifest.RecordingId:D}, not of this folder's"));
        }

        string trail = Path.Combine(directory, LocationTrailFile.Name);
        bool held = File.Exists(trail);
        if (manifest.LocationTrailSha256 is string expected)
        {
            if (!held)
            {
                problems.Add(new BundleProblem(folder + LocationTrailFile.Name, "missing: the manifest records a location trail"));
            }
            else if (!string.Equals(LocationTrailFile.Sha256(File.ReadAllBytes(trail)), expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new BundleProblem(folder + LocationTrailFile.Name, "SHA-256 does not match the manifest's locationTrailSha256 (the trail was altered)"));
            }
        }
        else if (held)
        {
            problems.Add(new BundleProblem(folder + LocationTrailFile.Name, "present, but the manifest records no location trail, so nothing vouches for it"));
        }
    }

    private static bool IsPlayable(string file) =>
        file is BundleNames.PlayableStem + ".webm" or BundleNames.PlayableStem + ".mp4";

    private static bool TryReadEntry(ZipArchiveEntry entry, int maxBytes, List<BundleProblem> problems, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (entry.Length > maxBytes)
        {
            problems.Add(new BundleProblem(entry.FullName, $"{entry.Length} bytes, larger than the {maxBytes} it may be; refused"));
            return false;
        }

        using var buffer = new MemoryStream();
        if (Hash(entry, maxBytes, null, problems, buffer) is null)
        {
            return false;
        }

        bytes = buffer.ToArray();
        return true;
    }

    /// <summary>Reads the entry once, at most <paramref name="maxBytes"/> whatever its header says, hashing it and copying it where asked.</summary>
    private static BundleFile? Hash(ZipArchiveEntry entry, long maxBytes, string? copyTo, List<BundleProblem> problems, Stream? copy = null)
    {
        if (entry.Length > maxBytes)
        {
            problems.Add(new BundleProblem(entry.FullName, $"{entry.Length} bytes, larger than the {maxBytes} an entry may be; refused"));
            return null;
        }

        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using Stream input = entry.Open();
            using FileStream? output = copyTo is null ? null : new FileStream(copyTo, FileMode.CreateNew, FileAccess.Write);
            byte[] buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    problems.Add(new BundleProblem(entry.FullName, $"expands past the {maxBytes} bytes an entry may be (a zip bomb?); refused"));
                    return null;
                }

                hash.AppendData(buffer, 0, read);
                output?.Write(buffer, 0, read);
                copy?.Write(buffer, 0, read);
            }

            return new BundleFile(entry.FullName, total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            problems.Add(new BundleProblem(entry.FullName, "damaged in the archive, cannot be read (" + e.Message + ")"));
            return null;
        }
    }
}
