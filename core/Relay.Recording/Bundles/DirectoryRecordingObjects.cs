namespace Relay.Recording.Bundles;

/// <summary>A recording's files in its local directory (<c>&lt;recordings&gt;/&lt;recordingId "D"&gt;/</c>).</summary>
public sealed class DirectoryRecordingObjects : IRecordingObjects
{
    private readonly string _directory;

    public DirectoryRecordingObjects(Guid recordingId, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        RecordingId = recordingId;
        _directory = directory;
    }

    /// <summary>The recording <paramref name="recordingId"/> under the recordings directory <paramref name="recordingsDirectory"/>.</summary>
    public static DirectoryRecordingObjects Under(string recordingsDirectory, Guid recordingId) =>
        new(recordingId, Path.Combine(recordingsDirectory, recordingId.ToString("D")));

    public Guid RecordingId { get; }

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        // Only plain file names: a manifest naming "../x" must not read outside the recording.
        if (!BundleNames.IsPlainFileName(name))
        {
            return Task.FromResult<Stream?>(null);
        }

        string path = Path.Combine(_directory, name);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }
}
