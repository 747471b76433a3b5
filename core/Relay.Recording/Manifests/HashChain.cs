using System.Security.Cryptography;

namespace Relay.Recording.Manifests;

/// <summary>The segments' hash chain: h_0 = 32 zero bytes, h_i = SHA-256(h_{i-1} || SHA-256(segment i)).</summary>
public static class HashChain
{
    public const int HashLength = 32;

    /// <summary>The chain before any segment: 64 hex zeros.</summary>
    public static string Empty { get; } = new('0', HashLength * 2);

    /// <summary>The next link: SHA-256 of the previous link and the segment's hash (both 32 bytes).</summary>
    public static byte[] Next(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> segmentSha256)
    {
        if (previous.Length != HashLength || segmentSha256.Length != HashLength)
        {
            throw new ArgumentException("Chain links and segment hashes are 32 bytes.");
        }

        Span<byte> both = stackalloc byte[HashLength * 2];
        previous.CopyTo(both);
        segmentSha256.CopyTo(both.Slice(HashLength));
        return SHA256.HashData(both);
    }

    /// <summary>Lowercase hex, as the manifest writes hashes.</summary>
    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}
