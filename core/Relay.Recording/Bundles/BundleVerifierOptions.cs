namespace Relay.Recording.Bundles;

/// <summary>Limits that keep a hostile archive from exhausting the verifier, and the key to trust.</summary>
public sealed record BundleVerifierOptions
{
    /// <summary>More entries than this and the archive is refused unread.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>An entry larger than this (as declared or as read) is refused.</summary>
    public long MaxEntryBytes { get; init; } = 64L * 1024 * 1024 * 1024;

    /// <summary>A recording's manifest, segment or trail larger than this is not checked against its manifest (it is read whole to be checked).</summary>
    public long MaxRecordingFileBytes { get; init; } = 1L * 1024 * 1024 * 1024;

    /// <summary>The bundle's signing key must be this one (base64 SubjectPublicKeyInfo), or null to accept the key it names.</summary>
    public string? TrustedPublicKey { get; init; }
}
