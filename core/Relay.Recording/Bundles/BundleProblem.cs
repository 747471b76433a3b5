namespace Relay.Recording.Bundles;

/// <summary>One thing wrong with a bundle: the file (its path in the zip, or "(archive)") and what is wrong with it.</summary>
public sealed record BundleProblem(string File, string Reason)
{
    /// <summary>The file name used for problems with the archive as a whole.</summary>
    public const string Archive = "(archive)";

    public override string ToString() => File + ": " + Reason;
}
