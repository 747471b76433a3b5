using System.Security.Cryptography;
using Relay.Recording.Segments;

namespace Relay.Recording.Manifests;

/// <summary>
/// Checks a recording directory offline: the manifest's signature, and for every segment it lists
/// that the file is there, whole and closed, with the listed length, packet count and SHA-256, and
/// that the hash chain links them in order. Says exactly what fails; never throws for content.
/// </summary>
public static class ManifestVerifier
{
    /// <param name="directory">The recording's directory.</param>
    /// <param name="trustedPublicKey">The node key the manifest must be signed by (base64 SPKI), or null to accept the key it names.</param>
    public static ManifestVerification Verify(string directory, string? trustedPublicKey = null)
    {
        var problems = new List<string>();
        string path = Path.Combine(directory, ManifestFiles.Signed);
        if (!File.Exists(path))
        {
            problems.Add($"{ManifestFiles.Signed}: missing");
            return new ManifestVerification(null, problems);
        }

        if (!ManifestJson.TryReadSigned(File.ReadAllBytes(path), out RecordingManifest? manifest, out byte[] canonical, out byte[] signature, out string? error))
        {
            problems.Add($"{ManifestFiles.Signed}: {error}");
            return new ManifestVerification(null, problems);
        }

        if (manifest!.SigningKey is null)
        {
            problems.Add($"{ManifestFiles.Signed}: names no signing key");
        }
        else if (!EvidenceSigningKey.Verify(manifest.SigningKey, canonical, signature))
        {
            problems.Add($"{ManifestFiles.Signed}: the signature does not match the manifest (altered, or signed by another key)");
        }
        else if (trustedPublicKey is not null && trustedPublicKey != manifest.SigningKey)
        {
            problems.Add($"{ManifestFiles.Signed}: signed by a key that is not the trusted one");
        }

        byte[] chain = new byte[HashChain.HashLength];
        for (int i = 0; i < manifest.Segments.Count; i++)
        {
            ManifestSegment segment = manifest.Segments[i];
            if (segment.Index != i)
            {
                problems.Add($"segment {i}: listed with index {segment.Index}");
            }

            CheckSegment(directory, manifest, segment, problems);
            byte[] sha;
            try
            {
                sha = Convert.FromHexString(segment.Sha256);
                chain = HashChain.Next(chain, sha);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                problems.Add($"{segment.FileName}: its listed SHA-256 is not a 32-byte hex hash");
                continue;
            }

            if (!string.Equals(HashChain.ToHex(chain), segment.ChainHash, StringComparison.Ordinal))
            {
                problems.Add($"{segment.FileName}: the chain hash does not follow from the segments before it");
            }
        }

        string expected = manifest.Segments.Count == 0 ? HashChain.Empty : HashChain.ToHex(chain);
        if (!string.Equals(expected, manifest.ChainHash, StringComparison.Ordinal))
        {
            problems.Add($"{ManifestFiles.Signed}: the final chain hash does not match the segments");
        }

        return new ManifestVerification(manifest, problems);
    }

    private static void CheckSegment(string directory, RecordingManifest manifest, ManifestSegment segment, List<string> problems)
    {
        string file = Path.Combine(directory, Path.GetFileName(segment.FileName));
        if (!File.Exists(file))
        {
            problems.Add($"{segment.FileName}: missing");
            return;
        }

        byte[] bytes = File.ReadAllBytes(file);
        if (bytes.Length != segment.Length)
        {
            problems.Add($"{segment.FileName}: {bytes.Length} bytes, the manifest lists {segment.Length}");
        }

        if (!string.Equals(HashChain.ToHex(SHA256.HashData(bytes)), segment.Sha256, StringComparison.Ordinal))
        {
            problems.Add($"{segment.FileName}: SHA-256 does not match the manifest (the file was altered)");
        }

        SegmentReader reader = SegmentReader.FromBytes(bytes);
        if (reader.Status != SegmentReadStatus.Closed)
        {
            problems.Add($"{segment.FileName}: {reader.Status}: {reader.Error}");
        }
        else if (reader.PacketCount != segment.PacketCount)
        {
            problems.Add($"{segment.FileName}: {reader.PacketCount} packets, the manifest lists {segment.PacketCount}");
        }

        if (reader.Header is { } header && (header.RecordingId != manifest.RecordingId || header.SegmentIndex != segment.Index))
        {
            problems.Add($"{segment.FileName}: belongs to recording {header.RecordingId} segment {header.SegmentIndex}, not this one's segment {segment.Index}");
        }
    }
}
