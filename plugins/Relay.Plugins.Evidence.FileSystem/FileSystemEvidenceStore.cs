using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Plugins.Evidence.FileSystem;

/// <summary>
/// Layout under the root, one directory per recording:
/// <code>
/// {root}/{recordingId}/{name}            the object, mode 0444 once written
/// {root}/{recordingId}/.{name}.sha256    "{hex sha-256} {stored-at ISO 8601}"
/// {root}/{recordingId}/.legal-hold       present while the recording is held
/// {root}/{recordingId}/.tombstones.jsonl one JSON line per deletion: name, size, sha256, actor, reason, at
/// {root}/{recordingId}/.partial-{guid}   an object being written (never visible under its key)
/// </code>
/// Keys cannot start with a dot (<see cref="EvidenceObjectKey"/>), so bookkeeping never collides with objects.
/// The root is never recreated by an operation: if it disappears (a volume unmounted) the store reports
/// itself unavailable rather than writing evidence onto the wrong disk.
/// </summary>
internal sealed class FileSystemEvidenceStore : IEvidenceStore, IEvidenceStoreFileLinking
{
    private const string LegalHoldMarker = ".legal-hold";
    private const string TombstoneFile = ".tombstones.jsonl";
    private const string PartialPrefix = ".partial-";
    private const int BufferSize = 81920;
    private const int LinkedReadSize = 1024 * 1024;

    // errno values of link(2) that mean "not here, copy instead" rather than a failure of the store.
    private const int EPERM = 1;
    private const int EXDEV = 18;
    private const int EMLINK = 31;
    private const int EOPNOTSUPP = 95;

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly bool _linkFiles;
    private readonly Func<string, string, int> _link;

    // Delete and hold changes are rare; one lock makes "check hold, then delete" atomic within this process.
    private readonly SemaphoreSlim _holdLock = new(1, 1);

    /// <param name="root">The evidence directory (exists).</param>
    /// <param name="time">The clock for stored-at times.</param>
    /// <param name="linkFiles">Whether <see cref="TryLinkFileAsync"/> links at all (false: always declines, callers copy).</param>
    /// <param name="link">link(2) returning 0 or the errno; tests give one that fails as another file system would.</param>
    public FileSystemEvidenceStore(string root, TimeProvider time, bool linkFiles = true, Func<string, string, int>? link = null)
    {
        _root = root;
        _time = time;
        _linkFiles = linkFiles;
        _link = link ?? WriteOnceMove.HardLink;
    }

    public async Task<EvidenceObjectInfo> PutAsync(EvidenceObjectKey key, Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ThrowIfEmpty(key);
        EvidenceHash.ValidateOptional(expectedSha256, nameof(expectedSha256));
        string directory = RecordingDirectory(key.RecordingId, create: true);
        string partial = Path.Combine(directory, PartialPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            (string sha256, long length) = await WriteDurablyAsync(key, partial, content, cancellationToken).ConfigureAwait(false);

            if (expectedSha256 is not null && !EvidenceHash.Equal(expectedSha256, sha256))
            {
                throw new EvidenceStoreException(
                    EvidenceStoreError.IntegrityMismatch,
                    $"The bytes received for {key} hash to {sha256}, not the {expectedSha256.ToLowerInvariant()} expected; nothing was stored.");
            }

            MakeReadOnly(partial);
            return await PlaceAsync(key, directory, partial, sha256, length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    /// <summary>
    /// Stores a closed local file by linking it under a temporary name in the recording's directory,
    /// making it read-only, hashing it, then placing it as <see cref="PutAsync"/> places a copy: no
    /// second write and no second fsync of the bytes. Declines (null) when the file is on another file
    /// system (EXDEV), the file system refuses hard links, or linking is turned off.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The object's bytes are read and hashed once here, after the inode is read-only and before it is
    /// visible under its key. That read stays, even though the recorder hashed the bytes as it wrote
    /// them and the bytes are not copied: it is the only check that the file as the kernel returns it
    /// is what the recorder hashed (a writer bug, a truncation, anyone who wrote to the file between
    /// its close and now), and the sidecar then records a hash this store computed, never one it was
    /// told. Since the recording's, the spool's and the store's names are now one inode, this one read
    /// checks all three, which is why the spool no longer hashes a file it links (one read and SHA-256
    /// per segment instead of three reads, two hashes, a write and an fsync). It costs about 1 ms of
    /// CPU per 1.2 MB segment (SHA-NI), from the page cache.
    /// </para>
    /// <para>
    /// Durability: the caller's file is already fsynced (contract), so the bytes are on disk; the new
    /// directory entry is made durable by the directory fsync after placing, as for a copy.
    /// </para>
    /// </remarks>
    public async Task<EvidenceObjectInfo?> TryLinkFileAsync(EvidenceObjectKey key, string path, string expectedSha256, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(expectedSha256);
        EvidenceHash.ValidateOptional(expectedSha256, nameof(expectedSha256));
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"The file to link must be given by an absolute path, not '{path}'.", nameof(path));
        }

        if (!_linkFiles || OperatingSystem.IsWindows())
        {
            return null;
        }

        string directory = RecordingDirectory(key.RecordingId, create: true);
        string partial = Path.Combine(directory, PartialPrefix + Guid.NewGuid().ToString("N"));
        int errno = _link(path, partial);
        if (errno is EXDEV or EPERM or EMLINK or EOPNOTSUPP)
        {
            return null;
        }

        if (errno != 0)
        {
            throw new EvidenceStoreException(EvidenceStoreError.Unavailable, $"Could not link {path} into {directory} for {key} (errno {errno}).");
        }

        try
        {
            string sha256;
            long length;
            try
            {
                // The mode belongs to the inode: every name of the file is read-only from here on.
                MakeReadOnly(partial);
                (sha256, length) = HashFile(partial, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unavailable($"Could not read the linked {key}", e);
            }

            if (!EvidenceHash.Equal(expectedSha256, sha256))
            {
                throw new EvidenceStoreException(
                    EvidenceStoreError.IntegrityMismatch,
                    $"The file linked for {key} hashes to {sha256}, not the {expectedSha256.ToLowerInvariant()} expected; nothing was stored.");
            }

            return await PlaceAsync(key, directory, partial, sha256, length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    public Task<Stream> OpenReadAsync(EvidenceObjectKey key, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(key);
        EnsureRoot();
        string path = Path.Combine(_root, key.RecordingId, key.Name);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"Could not read {key}", e);
        }
    }

    public async Task<EvidenceObjectInfo?> GetInfoAsync(EvidenceObjectKey key, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(key);
        EnsureRoot();
        string directory = Path.Combine(_root, key.RecordingId);
        var file = new FileInfo(Path.Combine(directory, key.Name));
        if (!file.Exists)
        {
            return null;
        }

        return await DescribeAsync(key, file, IsHeld(directory), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvidenceObjectInfo>> ListAsync(string recordingId, CancellationToken cancellationToken)
    {
        EvidenceObjectKey.ValidateRecordingId(recordingId);
        EnsureRoot();
        var directory = new DirectoryInfo(Path.Combine(_root, recordingId));
        if (!directory.Exists)
        {
            return [];
        }

        bool held = IsHeld(directory.FullName);
        var objects = new List<EvidenceObjectInfo>();
        try
        {
            foreach (FileInfo file in directory.EnumerateFiles())
            {
                if (EvidenceObjectKey.TryCreate(recordingId, file.Name, out EvidenceObjectKey key))
                {
                    objects.Add(await DescribeAsync(key, file, held, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"Could not list recording {recordingId}", e);
        }

        objects.Sort(static (a, b) => string.CompareOrdinal(a.Key.Name, b.Key.Name));
        return objects;
    }

    public async Task DeleteAsync(EvidenceObjectKey key, EvidenceDeletion deletion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        ThrowIfEmpty(key);
        EnsureRoot();
        string directory = Path.Combine(_root, key.RecordingId);
        await _holdLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsHeld(directory))
            {
                throw new EvidenceStoreException(EvidenceStoreError.LegalHold, $"Recording {key.RecordingId} is under legal hold; {key.Name} cannot be deleted until the hold is lifted.");
            }

            var file = new FileInfo(Path.Combine(directory, key.Name));
            if (!file.Exists)
            {
                throw NotFound(key);
            }

            EvidenceObjectInfo info = await DescribeAsync(key, file, held: false, cancellationToken).ConfigureAwait(false);
            try
            {
                // The tombstone is durable before the object goes: a crash between leaves a tombstone and
                // the object, and a repeated delete finishes the job; never a silent disappearance.
                await AppendTombstoneAsync(directory, info, deletion, cancellationToken).ConfigureAwait(false);
                file.Delete();
                File.Delete(SidecarPath(directory, key.Name));
                DirectorySync.Flush(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unavailable($"Could not delete {key}", e);
            }
        }
        finally
        {
            _holdLock.Release();
        }
    }

    public async Task SetLegalHoldAsync(string recordingId, bool hold, CancellationToken cancellationToken)
    {
        EvidenceObjectKey.ValidateRecordingId(recordingId);
        string directory = RecordingDirectory(recordingId, create: hold);
        await _holdLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string marker = Path.Combine(directory, LegalHoldMarker);
            if (hold)
            {
                if (!File.Exists(marker))
                {
                    string text = "held since " + _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) + "\n";
                    await WriteSmallFileAsync(directory, marker, text, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (File.Exists(marker))
            {
                File.Delete(marker);
                DirectorySync.Flush(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"Could not change the legal hold on recording {recordingId}", e);
        }
        finally
        {
            _holdLock.Release();
        }
    }

    public Task<bool> IsUnderLegalHoldAsync(string recordingId, CancellationToken cancellationToken)
    {
        EvidenceObjectKey.ValidateRecordingId(recordingId);
        EnsureRoot();
        return Task.FromResult(IsHeld(Path.Combine(_root, recordingId)));
    }

    public async Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root))
        {
            return PluginHealth.Failing($"The evidence directory {_root} does not exist (volume not mounted?).");
        }

        string probe = Path.Combine(_root, ".health-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(32);
            await using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            byte[] back = await File.ReadAllBytesAsync(probe, cancellationToken).ConfigureAwait(false);
            return back.AsSpan().SequenceEqual(bytes)
                ? PluginHealth.Ok($"Writing and reading evidence under {_root}.")
                : PluginHealth.Failing($"A test file written under {_root} read back different bytes.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PluginHealth.Failing($"Cannot write under {_root}: {e.Message}");
        }
        finally
        {
            TryDelete(probe);
        }
    }

    public void Dispose() => _holdLock.Dispose();

    /// <summary>
    /// Gives a durable, read-only, verified temporary file its key's name unless the key is taken, then
    /// records its hash and flushes the directory.
    /// </summary>
    private async Task<EvidenceObjectInfo> PlaceAsync(EvidenceObjectKey key, string directory, string partial, string sha256, long length, CancellationToken cancellationToken)
    {
        string path = Path.Combine(directory, key.Name);
        DateTimeOffset storedAt = _time.GetUtcNow();
        bool placed;
        try
        {
            // Atomic and refused when the key exists, so two writers of one key cannot both succeed.
            placed = WriteOnceMove.TryMove(partial, path);
        }
        catch (IOException e)
        {
            throw Unavailable($"Could not write {key}", e);
        }

        if (!placed)
        {
            return await ResolveExistingAsync(key, path, sha256, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await WriteSidecarAsync(directory, key.Name, sha256, storedAt, cancellationToken).ConfigureAwait(false);
            DirectorySync.Flush(directory);
        }
        catch (IOException e)
        {
            // The object itself is stored and durable (its bytes were fsynced before the rename);
            // only the recorded hash may be missing, and a retried put restores it.
            throw Unavailable($"Stored {key} but could not record its hash", e);
        }

        return new EvidenceObjectInfo(key, length, sha256, IsHeld(directory), storedAt);
    }

    /// <summary>
    /// Copies <paramref name="content"/> to a new file at <paramref name="path"/>, hashing as it goes, and
    /// fsyncs it. A failure to read the source propagates as it is (the caller's problem); a failure to
    /// write is the store's, reported as <see cref="EvidenceStoreError.Unavailable"/>.
    /// </summary>
    private async Task<(string Sha256, long Length)> WriteDurablyAsync(EvidenceObjectKey key, string path, Stream content, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        bool readingSource = false;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            while (true)
            {
                readingSource = true;
                int read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                readingSource = false;
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length += read;
            }

            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (!readingSource && e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"Could not write {key}", e);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return (EvidenceHash.ToHex(hash.GetHashAndReset()), length);
    }

    /// <summary>
    /// SHA-256 and length of a local file, read synchronously in large blocks: a just-closed segment is
    /// in the page cache, and an asynchronous FileStream on Unix would hand every read to another
    /// thread-pool thread (the upload's profile showed those hops; bench/RESULTS.md).
    /// </summary>
    private static (string Sha256, long Length) HashFile(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(LinkedReadSize);
        long length = 0;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return (EvidenceHash.ToHex(hash.GetHashAndReset()), length);
    }

    private async Task<EvidenceObjectInfo> ResolveExistingAsync(EvidenceObjectKey key, string path, string sha256, CancellationToken cancellationToken)
    {
        // Compare against the bytes on disk, not the sidecar: a concurrent writer may not have written it yet.
        string existing;
        long length;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            (existing, length) = await EvidenceHash.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"Could not read the existing {key}", e);
        }

        if (!EvidenceHash.Equal(existing, sha256))
        {
            throw new EvidenceStoreException(EvidenceStoreError.AlreadyExists, $"{key} is already stored with different content (SHA-256 {existing}); evidence is never overwritten.");
        }

        string directory = Path.GetDirectoryName(path)!;
        string sidecar = SidecarPath(directory, key.Name);
        DateTimeOffset storedAt = File.GetLastWriteTimeUtc(path);
        if (!File.Exists(sidecar))
        {
            try
            {
                await WriteSidecarAsync(directory, key.Name, existing, storedAt, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Another writer of the same bytes got there first; its sidecar says the same.
            }
        }

        return new EvidenceObjectInfo(key, length, existing, IsHeld(directory), storedAt);
    }

    private static async Task<EvidenceObjectInfo> DescribeAsync(EvidenceObjectKey key, FileInfo file, bool held, CancellationToken cancellationToken)
    {
        string? sha256 = null;
        DateTimeOffset storedAt = file.LastWriteTimeUtc;
        string sidecar = SidecarPath(file.DirectoryName!, key.Name);
        try
        {
            string text = await File.ReadAllTextAsync(sidecar, cancellationToken).ConfigureAwait(false);
            string[] parts = text.Trim().Split(' ');
            if (parts.Length >= 1 && parts[0].Length == 64 && parts[0].All(char.IsAsciiHexDigit))
            {
                sha256 = parts[0];
            }

            if (parts.Length >= 2 && DateTimeOffset.TryParseExact(parts[1], "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
            {
                storedAt = at;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }

        return new EvidenceObjectInfo(key, file.Length, sha256, held, storedAt);
    }

    private static Task WriteSidecarAsync(string directory, string name, string sha256, DateTimeOffset storedAt, CancellationToken cancellationToken) =>
        WriteSmallFileAsync(directory, SidecarPath(directory, name), sha256 + " " + storedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "\n", cancellationToken);

    private static async Task WriteSmallFileAsync(string directory, string path, string text, CancellationToken cancellationToken)
    {
        string partial = Path.Combine(directory, PartialPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(partial, path, overwrite: true);
            DirectorySync.Flush(directory);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    private async Task AppendTombstoneAsync(string directory, EvidenceObjectInfo info, EvidenceDeletion deletion, CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        using (var json = new Utf8JsonWriter(line))
        {
            json.WriteStartObject();
            json.WriteString("name", info.Key.Name);
            json.WriteNumber("size", info.Size);
            json.WriteString("sha256", info.Sha256);
            json.WriteString("actor", deletion.Actor);
            json.WriteString("reason", deletion.Reason);
            json.WriteString("deletedAt", _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        line.WriteByte((byte)'\n');
        await using var stream = new FileStream(Path.Combine(directory, TombstoneFile), FileMode.Append, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await stream.WriteAsync(line.GetBuffer().AsMemory(0, (int)line.Length), cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    private string RecordingDirectory(string recordingId, bool create)
    {
        EnsureRoot();
        string directory = Path.Combine(_root, recordingId);
        if (create)
        {
            try
            {
                if (!Directory.Exists(directory))
                {
                    Directory.CreateDirectory(directory);
                    DirectorySync.Flush(_root);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unavailable($"Could not create the directory for recording {recordingId}", e);
            }
        }

        return directory;
    }

    private void EnsureRoot()
    {
        if (!Directory.Exists(_root))
        {
            throw new EvidenceStoreException(EvidenceStoreError.Unavailable, $"The evidence directory {_root} does not exist (volume not mounted?).");
        }
    }

    private static void ThrowIfEmpty(EvidenceObjectKey key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("The evidence key is empty (default); create keys with EvidenceObjectKey.Create.", nameof(key));
        }
    }

    private static bool IsHeld(string directory) => File.Exists(Path.Combine(directory, LegalHoldMarker));

    private static string SidecarPath(string directory, string name) => Path.Combine(directory, "." + name + ".sha256");

    private static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static EvidenceStoreException NotFound(EvidenceObjectKey key) =>
        new(EvidenceStoreError.NotFound, $"No evidence object {key}.");

    private EvidenceStoreException Unavailable(string what, Exception inner) =>
        new(EvidenceStoreError.Unavailable, $"{what} under {_root}: {inner.Message}", inner);
}
