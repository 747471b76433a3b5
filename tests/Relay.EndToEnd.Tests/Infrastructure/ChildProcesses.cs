using System.Collections.Concurrent;
using System.Diagnostics;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Every process the tests start, so none outlives the run: each owner kills its own when done,
/// and whatever is left when the test host exits (a crash, a cancelled run) is killed then.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> s_live = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (Process process in s_live.Values)
            {
                Kill(process);
            }
        };
    }

    /// <summary>Starts the process with its output written to <paramref name="logPath"/> and, line by line, to <paramref name="onLine"/>.</summary>
    public static Process Start(ProcessStartInfo info, string logPath, Action<string>? onLine = null)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, "out", e.Data, onLine);
        process.ErrorDataReceived += (_, e) => Write(log, "err", e.Data, onLine);
        process.Exited += (_, _) =>
        {
            s_live.TryRemove(process.Id, out _);
        };
        process.Start();
        s_live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the process and its children, and waits for it to be gone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        s_live.TryRemove(process.Id, out _);
    }

    private static void Write(StreamWriter log, string stream, string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}");
        }

        onLine?.Invoke(line);
    }
}
