namespace Relay.Recording.Upload;

/// <summary>Where closed segments and manifests wait for the evidence store, and how uploads are retried (<c>Relay:Evidence:Upload</c>).</summary>
public sealed class EvidenceUploadOptions
{
    /// <summary>
    /// Local directory for the spool (copies waiting to upload, their journal records, and a
    /// <c>quarantine</c> folder). Must be on persistent storage: it holds evidence until the store has it.
    /// </summary>
    public string SpoolDirectory { get; set; } = "";

    /// <summary>Wait after the first failed attempt; doubled after each consecutive failure.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts while the store stays down.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
