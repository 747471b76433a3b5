namespace Relay.Recording.Bundles;

/// <summary>A document of an item that the bundle carries as it is given (the audit extract, the session's record).</summary>
/// <param name="Name">Its file name in the item's folder (letters, digits, '.', '-', '_').</param>
/// <param name="Content">Its bytes (UTF-8 JSON for the documents Relay writes).</param>
/// <param name="Description">One line for the README: what the recipient finds in it.</param>
public sealed record BundleDocument(string Name, byte[] Content, string Description);
