namespace Relay.Recording.Manifests;

/// <summary>The files of a recording's directory besides its segments.</summary>
public static class ManifestFiles
{
    /// <summary>The signed manifest, written when the recording ends (or is recovered).</summary>
    public const string Signed = "manifest.json";

    /// <summary>The journal of a recording in progress: the unsigned manifest so far, replaced as segments close.</summary>
    public const string Open = "manifest.open.json";

    /// <summary>Writes the signed manifest (with the key's public key in it) to <paramref name="directory"/>, durably.</summary>
    public static RecordingManifest WriteSigned(string directory, RecordingManifest manifest, EvidenceSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(key);
        RecordingManifest keyed = manifest with { SigningKey = key.PublicKey };
        byte[] canonical = ManifestJson.ToCanonicalJson(keyed);
        WriteDurably(Path.Combine(directory, Signed), ManifestJson.ToSignedFile(canonical, key.Sign(canonical)));
        File.Delete(Path.Combine(directory, Open));
        return keyed;
    }

    /// <summary>Replaces the journal of an open recording (atomically: a crash leaves the old or the new one).</summary>
    public static void WriteOpen(string directory, RecordingManifest manifest) =>
        WriteDurably(Path.Combine(directory, Open), ManifestJson.ToCanonicalJson(manifest));

    private static void WriteDurably(string path, byte[] bytes)
    {
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
