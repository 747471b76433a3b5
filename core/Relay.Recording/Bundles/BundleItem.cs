namespace Relay.Recording.Bundles;

/// <summary>One evidence item (a session) in a bundle: its documents and its recordings, oldest first.</summary>
/// <param name="Id">The item's id (the session id); becomes the folder <c>items/&lt;Id&gt;/</c>.</param>
/// <param name="Title">A line for the README (incident reference, when it was recorded).</param>
/// <param name="Documents">Documents carried as given (audit extract, session record).</param>
/// <param name="Recordings">Where to read each recording's files.</param>
public sealed record BundleItem(string Id, string Title, IReadOnlyList<BundleDocument> Documents, IReadOnlyList<IRecordingObjects> Recordings);
