using System.Security.Cryptography;

namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>The one spelling of a SHA-256 every store and the upload queue agree on: lower-case hex.</summary>
public static class EvidenceHash
{
    public static string ToHex(ReadOnlySpan<byte> sha256) => Convert.ToHexStringLower(sha256);

    /// <summary>Whether two hex hashes name the same bytes (case-insensitive).</summary>
    public static bool Equal(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="hex"/> is null or 64 hex digits.</summary>
    public static void ValidateOptional(string? hex, string paramName)
    {
        if (hex is null)
        {
            return;
        }

        if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("A SHA-256 is 64 hex digits.", paramName);
        }
    }

    /// <summary>Reads <paramref name="content"/> to its end and returns its SHA-256 (hex) and length.</summary>
    public static async Task<(string Sha256, long Length)> ComputeAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        long length = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return (ToHex(hash.GetHashAndReset()), length);
    }
}
