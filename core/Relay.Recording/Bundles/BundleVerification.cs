namespace Relay.Recording.Bundles;

/// <summary>What <see cref="EvidenceBundleVerifier"/> found: every problem (none when the bundle is intact) and what was checked.</summary>
/// <param name="Problems">Every failure, each naming its file.</param>
/// <param name="SigningKey">The key <c>bundle.json</c> names (base64 SubjectPublicKeyInfo), or null if unreadable.</param>
/// <param name="FilesChecked">Files whose hash was checked against <c>bundle.json</c>.</param>
/// <param name="RecordingsChecked">Recordings whose manifest, segments and chain were checked.</param>
public sealed record BundleVerification(IReadOnlyList<BundleProblem> Problems, string? SigningKey, int FilesChecked, int RecordingsChecked)
{
    public bool IsValid => Problems.Count == 0;
}
