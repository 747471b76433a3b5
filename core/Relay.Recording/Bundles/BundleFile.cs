namespace Relay.Recording.Bundles;

/// <summary>One file of a bundle as <c>bundle.json</c> lists it.</summary>
/// <param name="Name">Its path in the zip ('/' separated).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">SHA-256 of its bytes, lowercase hex.</param>
public sealed record BundleFile(string Name, long Bytes, string Sha256);
