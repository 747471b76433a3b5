using Relay.Recording.Bundles;

namespace Relay.Server.Evidence.Export;

/// <summary>
/// <c>Relay.Server verify BUNDLE.zip [--key BASE64]</c>: checks an evidence bundle offline (no relay,
/// no database) and prints every file that fails and why. Exit 0 intact, 1 not, 2 usage.
/// </summary>
internal static class BundleVerifyCommand
{
    public const string Usage = "usage: Relay.Server verify BUNDLE.zip [--key PUBLIC_KEY_BASE64]\n"
        + "  Checks an evidence bundle offline: bundle.json's signature, every file's SHA-256, each recording's\n"
        + "  manifest, segments, hash chain and location trail. --key: the relay's published evidence key the\n"
        + "  bundle must be signed with. Exit 0 intact, 1 not intact, 2 usage.";

    public static bool Matches(string[] args) => args is ["verify", ..];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? path = null;
        string? key = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--key" && i + 1 < args.Length)
            {
                key = args[++i];
            }
            else if (args[i].StartsWith("--key=", StringComparison.Ordinal))
            {
                key = args[i]["--key=".Length..];
            }
            else if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                path = args[i];
            }
            else
            {
                error.WriteLine(Usage);
                return 2;
            }
        }

        if (path is null)
        {
            error.WriteLine(Usage);
            return 2;
        }

        if (!File.Exists(path))
        {
            error.WriteLine($"There is no file at {path}.");
            error.WriteLine(Usage);
            return 2;
        }

        BundleVerification result = EvidenceBundleVerifier.Verify(path, new BundleVerifierOptions { TrustedPublicKey = key });
        if (result.IsValid)
        {
            output.WriteLine($"{path} is intact: {result.FilesChecked} files match bundle.json, {result.RecordingsChecked} recording(s) match their signed manifests.");
            output.WriteLine($"Signed by the evidence key {result.SigningKey}{(key is null ? " (check it against the key the force publishes for the relay, or pass it with --key)" : " (the one given)")}.");
            return 0;
        }

        output.WriteLine($"{path} FAILS verification: {result.Problems.Count} problem(s).");
        foreach (BundleProblem problem in result.Problems)
        {
            output.WriteLine("  " + problem);
        }

        return 1;
    }
}
