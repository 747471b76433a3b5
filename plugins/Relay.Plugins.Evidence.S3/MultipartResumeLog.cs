using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Relay.Plugins.Evidence.S3;

/// <summary>
/// Unfinished multipart uploads, by object key, so a retried put of the same bytes continues from the
/// first part the store has not acknowledged instead of starting again. Kept in memory and, when a
/// directory is configured, as one small JSON file per upload so a restart resumes too. (S3's own
/// ListParts would do the same from the server's side, but not every S3-compatible store has it.)
/// </summary>
internal sealed class MultipartResumeLog(string? directory)
{
    private readonly ConcurrentDictionary<string, MultipartUploadState> _uploads = new(StringComparer.Ordinal);

    public MultipartUploadState? Find(string objectKey)
    {
        if (_uploads.TryGetValue(objectKey, out MultipartUploadState? state))
        {
            return state;
        }

        if (directory is null)
        {
            return null;
        }

        try
        {
            byte[] json = File.ReadAllBytes(PathOf(objectKey));
            state = JsonSerializer.Deserialize<MultipartUploadState>(json);
            return state is not null && state.ObjectKey == objectKey ? _uploads.GetOrAdd(objectKey, state) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Save(MultipartUploadState state)
    {
        _uploads[state.ObjectKey] = state;
        if (directory is null)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        string path = PathOf(state.ObjectKey);
        string partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
        using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, state);
            file.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
    }

    public void Remove(string objectKey)
    {
        _uploads.TryRemove(objectKey, out _);
        if (directory is not null)
        {
            File.Delete(PathOf(objectKey));
        }
    }

    private string PathOf(string objectKey) =>
        Path.Combine(directory!, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(objectKey))) + ".json");
}

/// <summary>One unfinished multipart upload: what it is of (the whole object's hash and part size) and the parts done.</summary>
internal sealed record MultipartUploadState(string ObjectKey, string UploadId, string Sha256, long Length, int PartSize, List<MultipartUploadedPart> Parts);

/// <summary>A part the store acknowledged.</summary>
internal sealed record MultipartUploadedPart(int Number, string ETag, string ChecksumSha256);
