using System.Diagnostics;
using System.Globalization;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// GStreamer's webrtcbin publishing a VP8 test pattern over WHIP, through gst/whip_publish.py run by
/// Debian's /usr/bin/python3 (which has the gi bindings; a python3 earlier on PATH may not).
/// </summary>
public sealed class GStreamerPublisher : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GStreamerPublisher(string url, string token, TimeSpan duration, string logPath)
    {
        var info = new ProcessStartInfo(Python);
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gst", "whip_publish.py"));
        // --name=value: a caller token may start with '-', which argparse would take for an option.
        info.ArgumentList.Add("--url=" + url);
        info.ArgumentList.Add("--token=" + token);
        info.ArgumentList.Add("--duration=" + duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));

        // libnice leaves loopback out of its candidates; the relay is only reachable there.
        info.ArgumentList.Add("--local-address=127.0.0.1");
        LogPath = logPath;
        _process = ChildProcesses.Start(info, logPath, line =>
        {
            if (line.Contains("connection connected", StringComparison.Ordinal))
            {
                _connected.TrySetResult();
            }
        });
        _process.Exited += (_, _) => _connected.TrySetException(new InvalidOperationException($"whip_publish.py exited with {_process.ExitCode} before connecting; see {LogPath}."));
    }

    public string LogPath { get; }

    public static GStreamerPublisher Start(RelayServer relay, RelaySession session, TimeSpan duration, string name) =>
        new(new Uri(relay.BaseAddress, "/whip/" + session.Id).ToString(), session.CallerKey, duration, Path.Combine(Repository.Artifacts, name + ".log"));

    /// <summary>Completes when webrtcbin reports its peer connection connected.</summary>
    public Task WaitUntilConnectedAsync(TimeSpan timeout) => _connected.Task.WaitAsync(timeout);

    /// <summary>Waits for the script to finish its duration; its exit code (0: streamed and connected).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
