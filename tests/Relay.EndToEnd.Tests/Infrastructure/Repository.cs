namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>Where the checkout and the built relay are, found from the test assembly's folder.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The checkout's root: the folder holding Relay.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>The build configuration this test assembly was built with (the relay is built with it too).</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string ServerProjectDirectory => Path.Combine(Root, "core", "Relay.Server");

    public static string ServerAssembly => Path.Combine(ServerProjectDirectory, "bin", Configuration, "net10.0", "Relay.Server.dll");

    public static string TestPages => Path.Combine(ServerProjectDirectory, "wwwroot", "test");

    /// <summary>Screenshots, captured offers and process logs of this run, beside the test assembly.</summary>
    public static string Artifacts
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relay.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Relay.sln above {AppContext.BaseDirectory}.");
    }
}
