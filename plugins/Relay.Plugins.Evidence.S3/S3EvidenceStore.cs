using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Plugins.Evidence.S3;

/// <summary>
/// Keys in the bucket:
/// <code>
/// {prefix}{recordingId}/{name}                      the object; x-amz-meta-sha256 holds its hex SHA-256
/// {prefix}{recordingId}/.legal-hold                 present while the recording is held
/// {prefix}{recordingId}/.tombstones/{name}.{ticks}  one JSON document per deletion: who, why, when, what
/// </code>
/// Every upload carries Content-MD5 and x-amz-checksum-sha256 (per part for multipart), so the store
/// rejects bytes damaged on the way; If-None-Match: * makes the write-once rule the store's own where it
/// supports conditional writes. Object Lock retention (x-amz-object-lock-mode, -retain-until-date) and
/// legal hold (x-amz-object-lock-legal-hold) are set when the settings ask; the bucket must have Object
/// Lock enabled for the store to honour them.
/// </summary>
internal sealed class S3EvidenceStore : IEvidenceStore
{
    private const string Sha256Metadata = "sha256";
    private const string HoldMarker = ".legal-hold";
    private const string TombstoneFolder = ".tombstones/";

    private readonly AmazonS3Client _client;
    private readonly S3EvidenceSettings _settings;
    private readonly TimeProvider _time;
    private readonly MultipartResumeLog _resume;

    public S3EvidenceStore(AmazonS3Client client, S3EvidenceSettings settings, TimeProvider time)
    {
        _client = client;
        _settings = settings;
        _time = time;
        _resume = new MultipartResumeLog(settings.ResumeDirectory);
    }

    public async Task<EvidenceObjectInfo> PutAsync(EvidenceObjectKey key, Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ThrowIfEmpty(key);
        EvidenceHash.ValidateOptional(expectedSha256, nameof(expectedSha256));
        Stream source = content;
        bool ownSource = false;
        if (!content.CanSeek)
        {
            // Checksums go in headers before the body, so the bytes are read twice: spool a stream that cannot rewind.
            source = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            ownSource = true;
            await content.CopyToAsync(source, cancellationToken).ConfigureAwait(false);
            source.Position = 0;
        }

        try
        {
            long start = source.Position;
            (string sha256, byte[] md5, long length) = await HashAsync(source, cancellationToken).ConfigureAwait(false);
            source.Position = start;
            if (expectedSha256 is not null && !EvidenceHash.Equal(expectedSha256, sha256))
            {
                throw new EvidenceStoreException(
                    EvidenceStoreError.IntegrityMismatch,
                    $"The bytes given for {key} hash to {sha256}, not the {expectedSha256.ToLowerInvariant()} expected; nothing was stored.");
            }

            string objectKey = ObjectKey(key);
            try
            {
                EvidenceObjectInfo? existing = await GetInfoAsync(key, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return await ResolveExistingAsync(existing, sha256, cancellationToken).ConfigureAwait(false);
                }

                bool held = await IsUnderLegalHoldAsync(key.RecordingId, cancellationToken).ConfigureAwait(false);
                if (length > _settings.MultipartThresholdBytes)
                {
                    await PutMultipartAsync(objectKey, source, start, length, sha256, held, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await PutSingleAsync(objectKey, source, length, sha256, md5, held, cancellationToken).ConfigureAwait(false);
                }

                return new EvidenceObjectInfo(key, length, sha256, held, _time.GetUtcNow());
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                // If-None-Match lost a race with another writer of the key: the bytes decide.
                EvidenceObjectInfo existing = await GetInfoAsync(key, cancellationToken).ConfigureAwait(false)
                    ?? throw Unavailable($"Could not store {key}", e);
                return await ResolveExistingAsync(existing, sha256, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e, cancellationToken))
            {
                throw Unavailable($"Could not store {key}", e);
            }
        }
        finally
        {
            if (ownSource)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<Stream> OpenReadAsync(EvidenceObjectKey key, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(key);
        try
        {
            GetObjectResponse response = await _client.GetObjectAsync(_settings.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
            return new OwningStream(response.ResponseStream, response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(key);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Unavailable($"Could not read {key}", e);
        }
    }

    public async Task<EvidenceObjectInfo?> GetInfoAsync(EvidenceObjectKey key, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(key);
        GetObjectMetadataResponse? head = await HeadAsync(ObjectKey(key), cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        bool held = await IsUnderLegalHoldAsync(key.RecordingId, cancellationToken).ConfigureAwait(false);
        return Describe(key, head, held);
    }

    public async Task<IReadOnlyList<EvidenceObjectInfo>> ListAsync(string recordingId, CancellationToken cancellationToken)
    {
        EvidenceObjectKey.ValidateRecordingId(recordingId);
        string prefix = RecordingPrefix(recordingId);
        var keys = new List<EvidenceObjectKey>();
        try
        {
            var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = prefix, Delimiter = "/" };
            ListObjectsV2Response response;
            do
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (S3Object item in response.S3Objects ?? [])
                {
                    if (EvidenceObjectKey.TryCreate(recordingId, item.Key[prefix.Length..], out EvidenceObjectKey key))
                    {
                        keys.Add(key);
                    }
                }

                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated == true);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Unavailable($"Could not list recording {recordingId}", e);
        }

        bool held = await IsUnderLegalHoldAsync(recordingId, cancellationToken).ConfigureAwait(false);
        var objects = new List<EvidenceObjectInfo>(keys.Count);
        foreach (EvidenceObjectKey key in keys)
        {
            // The listing has no user metadata; the hash is in each object's x-amz-meta-sha256.
            GetObjectMetadataResponse? head = await HeadAsync(ObjectKey(key), cancellationToken).ConfigureAwait(false);
            if (head is not null)
            {
                objects.Add(Describe(key, head, held));
            }
        }

        objects.Sort(static (a, b) => string.CompareOrdinal(a.Key.Name, b.Key.Name));
        return objects;
    }

    public async Task DeleteAsync(EvidenceObjectKey key, EvidenceDeletion deletion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        ThrowIfEmpty(key);
        if (await IsUnderLegalHoldAsync(key.RecordingId, cancellationToken).ConfigureAwait(false))
        {
            throw new EvidenceStoreException(EvidenceStoreError.LegalHold, $"Recording {key.RecordingId} is under legal hold; {key.Name} cannot be deleted until the hold is lifted.");
        }

        EvidenceObjectInfo info = await GetInfoAsync(key, cancellationToken).ConfigureAwait(false) ?? throw NotFound(key);
        DateTimeOffset now = _time.GetUtcNow();
        try
        {
            var tombstone = new PutObjectRequest
            {
                BucketName = _settings.Bucket,
                Key = RecordingPrefix(key.RecordingId) + TombstoneFolder + key.Name + "." + now.UtcTicks.ToString(CultureInfo.InvariantCulture),
                ContentBody = TombstoneJson(info, deletion, now),
                ContentType = "application/json",
                UseChunkEncoding = false,
            };
            await _client.PutObjectAsync(tombstone, cancellationToken).ConfigureAwait(false);
            await _client.DeleteObjectAsync(_settings.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new EvidenceStoreException(EvidenceStoreError.LegalHold, $"The store refused to delete {key} ({e.ErrorCode}): an S3 Object Lock retention period or legal hold may still apply.", e);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Unavailable($"Could not delete {key}", e);
        }
    }

    public async Task SetLegalHoldAsync(string recordingId, bool hold, CancellationToken cancellationToken)
    {
        EvidenceObjectKey.ValidateRecordingId(recordingId);
        string marker = RecordingPrefix(recordingId) + HoldMarker;
        try
        {
            if (hold)
            {
                await _client.PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = _settings.Bucket,
                        Key = marker,
                        ContentBody = "held since " + _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) + "\n",
                        UseChunkEncoding = false,
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            if (_settings.ObjectLockLegalHold)
            {
                IReadOnlyList<EvidenceObjectInfo> objects = await ListAsync(recordingId, cancellationToken).ConfigureAwait(false);
                foreach (EvidenceObjectInfo item in objects)
                {
                    await _client.PutObjectLegalHoldAsync(
                        new PutObjectLegalHoldRequest
                        {
                            BucketName = _settings.Bucket,
                            Key = ObjectKey(item.Key),
                            LegalHold = new ObjectLockLegalHold { Status = hold ? ObjectLockLegalHoldStatus.On : ObjectLockLegalHoldStatus.Off },
                        },
                        cancellationToken).ConfigureAwait(false);
                }
            }

            if (!hold)
            {
                await _client.DeleteObjectAsync(_settings.Bucket, marker, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Unavailable($"Could not change the legal hold on recording {recordingId}", e);
        }
    }

    public async Task<bool> IsUnderLegalHoldAsync(string recordingId, CancellationToken cancellationToken)
    {
        EvidenceObjectKey.ValidateRecordingId(recordingId);
        return await HeadAsync(RecordingPrefix(recordingId) + HoldMarker, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Read-only on purpose: in an Object Lock bucket a write probe could never be removed.
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = _settings.Prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            return PluginHealth.Ok($"Bucket {_settings.Bucket} at {Endpoint} answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return PluginHealth.Failing($"Bucket {_settings.Bucket} at {Endpoint} cannot be reached: {Describe(e)}");
        }
    }

    public void Dispose() => _client.Dispose();

    private string Endpoint => _settings.ServiceUrl ?? ("AWS " + _settings.Region);

    private async Task PutSingleAsync(string objectKey, Stream source, long length, string sha256, byte[] md5, bool held, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _settings.Bucket,
            Key = objectKey,
            InputStream = source,
            AutoCloseStream = false,
            ContentType = "application/octet-stream",
            MD5Digest = Convert.ToBase64String(md5),
            ChecksumSHA256 = Convert.ToBase64String(Convert.FromHexString(sha256)),
            IfNoneMatch = "*",
            UseChunkEncoding = false,
        };
        request.Headers.ContentLength = length;
        request.Metadata.Add(Sha256Metadata, sha256);
        ApplyObjectLock(request, held);
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task PutMultipartAsync(string objectKey, Stream source, long start, long length, string sha256, bool held, CancellationToken cancellationToken)
    {
        int partSize = _settings.PartSizeBytes;
        MultipartUploadState? state = _resume.Find(objectKey);
        if (state is not null && (state.Sha256 != sha256 || state.PartSize != partSize || state.Length != length))
        {
            await AbortQuietlyAsync(state).ConfigureAwait(false);
            _resume.Remove(objectKey);
            state = null;
        }

        if (state is null)
        {
            var initiate = new InitiateMultipartUploadRequest
            {
                BucketName = _settings.Bucket,
                Key = objectKey,
                ContentType = "application/octet-stream",
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            };
            initiate.Metadata.Add(Sha256Metadata, sha256);
            if (_settings.ObjectLockMode is not null)
            {
                initiate.ObjectLockMode = ObjectLockMode.FindValue(_settings.ObjectLockMode);
                initiate.ObjectLockRetainUntilDate = RetainUntil();
            }

            if (held && _settings.ObjectLockLegalHold)
            {
                initiate.ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On;
            }

            InitiateMultipartUploadResponse started = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
            state = new MultipartUploadState(objectKey, started.UploadId, sha256, length, partSize, []);
            _resume.Save(state);
        }

        int partCount = (int)((length + partSize - 1) / partSize);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(partSize);
        try
        {
            for (int number = 1; number <= partCount; number++)
            {
                if (state.Parts.Exists(p => p.Number == number))
                {
                    continue;
                }

                long offset = (long)(number - 1) * partSize;
                int count = (int)Math.Min(partSize, length - offset);
                source.Position = start + offset;
                await source.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                string partSha256 = Convert.ToBase64String(SHA256.HashData(buffer.AsSpan(0, count)));
#pragma warning disable CA5351 // Content-MD5 is S3's transport integrity check, not a security use of MD5.
                string partMd5 = Convert.ToBase64String(MD5.HashData(buffer.AsSpan(0, count)));
#pragma warning restore CA5351
                UploadPartResponse uploaded;
                try
                {
                    using var body = new MemoryStream(buffer, 0, count, writable: false);
                    uploaded = await _client.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = _settings.Bucket,
                            Key = objectKey,
                            UploadId = state.UploadId,
                            PartNumber = number,
                            InputStream = body,
                            PartSize = count,
                            MD5Digest = partMd5,
                            ChecksumSHA256 = partSha256,
                            UseChunkEncoding = false,
                        },
                        cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
                {
                    // The store forgot the upload (expired or aborted): the next attempt starts afresh.
                    _resume.Remove(objectKey);
                    throw;
                }

                state.Parts.Add(new MultipartUploadedPart(number, uploaded.ETag, partSha256));
                _resume.Save(state);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var complete = new CompleteMultipartUploadRequest
        {
            BucketName = _settings.Bucket,
            Key = objectKey,
            UploadId = state.UploadId,
            PartETags = [.. state.Parts.OrderBy(p => p.Number).Select(p => new PartETag { PartNumber = p.Number, ETag = p.ETag, ChecksumSHA256 = p.ChecksumSha256 })],
        };
        try
        {
            await _client.CompleteMultipartUploadAsync(complete, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchUpload" or "InvalidPart")
        {
            _resume.Remove(objectKey);
            throw;
        }

        _resume.Remove(objectKey);
    }

    private async Task AbortQuietlyAsync(MultipartUploadState state)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(_settings.Bucket, state.ObjectKey, state.UploadId).ConfigureAwait(false);
        }
        catch (AmazonServiceException)
        {
            // Left for the bucket's lifecycle rule for incomplete uploads.
        }
    }

    private void ApplyObjectLock(PutObjectRequest request, bool held)
    {
        if (_settings.ObjectLockMode is not null)
        {
            request.ObjectLockMode = ObjectLockMode.FindValue(_settings.ObjectLockMode);
            request.ObjectLockRetainUntilDate = RetainUntil();
        }

        if (held && _settings.ObjectLockLegalHold)
        {
            request.ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On;
        }
    }

    private DateTime RetainUntil() => _time.GetUtcNow().AddDays(_settings.ObjectLockRetentionDays).UtcDateTime;

    private async Task<EvidenceObjectInfo> ResolveExistingAsync(EvidenceObjectInfo existing, string sha256, CancellationToken cancellationToken)
    {
        string? stored = existing.Sha256;
        if (stored is null)
        {
            await using Stream back = await OpenReadAsync(existing.Key, cancellationToken).ConfigureAwait(false);
            (stored, _) = await EvidenceHash.ComputeAsync(back, cancellationToken).ConfigureAwait(false);
        }

        if (!EvidenceHash.Equal(stored, sha256))
        {
            throw new EvidenceStoreException(EvidenceStoreError.AlreadyExists, $"{existing.Key} is already stored with different content (SHA-256 {stored}); evidence is never overwritten.");
        }

        return existing with { Sha256 = stored };
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(_settings.Bucket, objectKey, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Unavailable($"Could not look up {objectKey}", e);
        }
    }

    private static EvidenceObjectInfo Describe(EvidenceObjectKey key, GetObjectMetadataResponse head, bool held)
    {
        string? sha256 = head.Metadata[Sha256Metadata];
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
        {
            sha256 = null;
        }

        DateTimeOffset? storedAt = head.LastModified is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified.ToUniversalTime(), DateTimeKind.Utc)) : null;
        return new EvidenceObjectInfo(key, head.ContentLength, sha256?.ToLowerInvariant(), held, storedAt);
    }

    private static string TombstoneJson(EvidenceObjectInfo info, EvidenceDeletion deletion, DateTimeOffset at)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", info.Key.Name);
            json.WriteNumber("size", info.Size);
            json.WriteString("sha256", info.Sha256);
            json.WriteString("actor", deletion.Actor);
            json.WriteString("reason", deletion.Reason);
            json.WriteString("deletedAt", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<(string Sha256, byte[] Md5, long Length)> HashAsync(Stream source, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
        long length = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (EvidenceHash.ToHex(sha256.GetHashAndReset()), md5.GetHashAndReset(), length);
    }

    private string ObjectKey(EvidenceObjectKey key) => RecordingPrefix(key.RecordingId) + key.Name;

    private string RecordingPrefix(string recordingId) => _settings.Prefix + recordingId + "/";

    private static void ThrowIfEmpty(EvidenceObjectKey key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("The evidence key is empty (default); create keys with EvidenceObjectKey.Create.", nameof(key));
        }
    }

    /// <summary>Failures that mean "the store did not do it now": everything but our own verdicts, bad arguments and the caller's cancellation.</summary>
    private static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is not EvidenceStoreException and not ArgumentException
        && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static string Describe(Exception e) => e switch
    {
        AmazonS3Exception s3 => $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
        _ when e.InnerException is not null => e.Message + " (" + e.InnerException.Message + ")",
        _ => e.Message,
    };

    private static EvidenceStoreException NotFound(EvidenceObjectKey key) =>
        new(EvidenceStoreError.NotFound, $"No evidence object {key}.");

    private EvidenceStoreException Unavailable(string what, Exception inner) =>
        new(EvidenceStoreError.Unavailable, $"{what} in bucket {_settings.Bucket} at {Endpoint}: {Describe(inner)}", inner);
}
