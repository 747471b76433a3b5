using System.Runtime.InteropServices;
using System.Text;

namespace Relay.Recording.Upload;

/// <summary>
/// fsync of a directory, so a rename into the spool survives a power cut (a file's fsync does not
/// persist its directory entry; POSIX fsync(2)). .NET cannot open a directory as a file, hence open(2).
/// No-op on Windows.
/// </summary>
internal static class SpoolDirectorySync
{
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        byte[] path = Encoding.UTF8.GetBytes(directory + "\0");
        int fd = NativeMethods.open(path, 0);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                throw new IOException($"Could not flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        // Blittable signatures only (a pinned byte[] path), so plain DllImport needs no unsafe code.
#pragma warning disable SYSLIB1054, CA1401, IDE1006
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054, CA1401, IDE1006
    }
}
