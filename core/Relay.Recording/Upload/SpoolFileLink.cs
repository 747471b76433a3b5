using System.Runtime.InteropServices;
using System.Text;

namespace Relay.Recording.Upload;

/// <summary>
/// A second name for a file, link(2): how the spool takes a closed segment without copying it. .NET 10
/// has no File.CreateHardLink. POSIX only; the caller copies when this returns false.
/// </summary>
internal static class SpoolFileLink
{
    /// <summary>Makes <paramref name="link"/> a new name of <paramref name="existing"/>; false (nothing made) if it cannot (EXDEV across file systems, EPERM, EEXIST, ...).</summary>
    public static bool TryCreate(string existing, string link)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        byte[] from = Encoding.UTF8.GetBytes(existing + "\0");
        byte[] to = Encoding.UTF8.GetBytes(link + "\0");
        return NativeMethods.link(from, to) == 0;
    }

    private static class NativeMethods
    {
        // Blittable signatures only (pinned byte[] paths), so plain DllImport needs no unsafe code.
#pragma warning disable SYSLIB1054, CA1401, IDE1006
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int link(byte[] existing, byte[] link);
#pragma warning restore SYSLIB1054, CA1401, IDE1006
    }
}
