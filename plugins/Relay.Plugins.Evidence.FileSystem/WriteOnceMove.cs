using System.Runtime.InteropServices;

namespace Relay.Plugins.Evidence.FileSystem;

/// <summary>
/// Gives a finished temporary file its final name only if that name is still free, atomically.
/// File.Move(overwrite: false) is not enough on Unix: .NET checks that the target is absent and then
/// calls rename(2), which silently replaces a file another writer put there in between (seen in CI:
/// two concurrent puts of one key both succeeded). link(2) fails with EEXIST instead.
/// </summary>
internal static partial class WriteOnceMove
{
    private const int EEXIST = 17;

    /// <summary>Links <paramref name="source"/> to <paramref name="target"/> and removes the source;
    /// false, with nothing changed, when the target already exists.</summary>
    public static bool TryMove(string source, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING is already atomic and refuses an existing target.
            try
            {
                File.Move(source, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        int errno = HardLink(source, target);
        if (errno != 0)
        {
            if (errno == EEXIST)
            {
                return false;
            }

            throw new IOException(
                $"Could not link '{source}' to '{target}' (errno {errno}); the evidence directory needs a file system with hard links.");
        }

        File.Delete(source);
        return true;
    }

    /// <summary>link(2): makes <paramref name="newPath"/> a second name of <paramref name="existing"/>; 0, or the errno.</summary>
    public static int HardLink(string existing, string newPath) =>
        Link(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Link(string existing, string newPath);
}
