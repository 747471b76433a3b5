namespace Relay.Recording.Bundles;

/// <summary>
/// Where a bundle reads one recording's files (segments, <c>manifest.json</c>, <c>location.jsonl</c>)
/// from: the evidence store once the recording is stored there, its local directory before.
/// </summary>
public interface IRecordingObjects
{
    /// <summary>The recording.</summary>
    Guid RecordingId { get; }

    /// <summary>A stream over the file named <paramref name="name"/> (the caller disposes it), or null if the recording has no such file.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken);
}
