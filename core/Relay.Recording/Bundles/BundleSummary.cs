namespace Relay.Recording.Bundles;

/// <summary>What a bundle holds, as written.</summary>
/// <param name="Files">Every file listed in <c>bundle.json</c>.</param>
/// <param name="Notes">What could not be included, and why (also in the README).</param>
/// <param name="SigningKey">The public key that signed <c>bundle.json</c>.</param>
public sealed record BundleSummary(IReadOnlyList<BundleFile> Files, IReadOnlyList<string> Notes, string SigningKey);
