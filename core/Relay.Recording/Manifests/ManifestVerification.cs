namespace Relay.Recording.Manifests;

/// <summary>What <see cref="ManifestVerifier"/> found: the manifest (if readable) and every problem, each naming what fails.</summary>
public sealed record ManifestVerification(RecordingManifest? Manifest, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
