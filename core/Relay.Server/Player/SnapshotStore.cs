using System.Globalization;
using System.Security.Cryptography;

namespace Relay.Server.Player;

/// <summary>
/// Still frames officers save from the player, kept as JPEG files under the data directory
/// (<c>{Relay:DataDirectory}/snapshots/{session}/</c>) with their SHA-256 in the name, written to a
/// temporary file first so a crash never leaves half a picture under its final name.
/// </summary>
internal sealed class SnapshotStore
{
    public const int MaxBytes = 8 * 1024 * 1024;

    public SnapshotStore(IConfiguration configuration, IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        string data = configuration["Relay:DataDirectory"] is { Length: > 0 } configured ? configured : "data";
        Root = Path.GetFullPath(Path.Combine(environment.ContentRootPath, data, "snapshots"));
    }

    public string Root { get; }

    /// <summary>Whether <paramref name="jpeg"/> looks like one whole JPEG (SOI at the start, EOI at the end).</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> jpeg) =>
        jpeg.Length >= 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && jpeg[2] == 0xFF && jpeg[^2] == 0xFF && jpeg[^1] == 0xD9;

    public async Task<SavedSnapshot> SaveAsync(string sessionId, ReadOnlyMemory<byte> jpeg, DateTimeOffset takenAt, string takenBy, CancellationToken cancellationToken)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(jpeg.Span));
        string folder = Path.Combine(Root, sessionId);
        Directory.CreateDirectory(folder);
        string name = takenAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture) + "-" + hash[..16] + ".jpg";
        string path = Path.Combine(folder, name);
        string temporary = path + ".partial";
        var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous | FileOptions.WriteThrough);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(jpeg, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: false);
        return new SavedSnapshot(name, sessionId, hash, jpeg.Length, takenAt, takenBy);
    }
}

/// <summary>A saved still frame: its file name, SHA-256 (hex), size in bytes, when and by whom.</summary>
internal sealed record SavedSnapshot(string Name, string SessionId, string Sha256, int Bytes, DateTimeOffset TakenAt, string TakenBy);
