using System.Runtime.InteropServices;

namespace Relay.Transport.Udp;

/// <summary>
/// The calling thread's nice value (Linux schedules threads, so setpriority(2) on a thread id applies
/// to that thread alone). Lowering it below 0 needs CAP_SYS_NICE.
/// </summary>
internal static partial class LinuxThreadPriority
{
    private const int PrioProcess = 0;

    /// <summary>Sets this thread's nice value; false (the thread keeps its own) if the system refuses.</summary>
    public static bool TrySetForThisThread(int nice)
    {
        try
        {
            return setpriority(PrioProcess, (uint)gettid(), nice) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>This thread's nice value, or null if it cannot be read.</summary>
    public static int? ForThisThread()
    {
        try
        {
            Marshal.SetLastPInvokeError(0);
            int nice = getpriority(PrioProcess, (uint)gettid());
            return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int gettid();

    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int setpriority(int which, uint who, int priority);

    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int getpriority(int which, uint who);
}
