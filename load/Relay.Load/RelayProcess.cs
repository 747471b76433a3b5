using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Relay.Load;

/// <summary>
/// The relay under test, started as its own process (the built Relay.Server) on free loopback ports
/// so that its CPU time is its own: the load suite's clients run in this process and would otherwise
/// be counted with it.
/// </summary>
internal sealed class RelayProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private RelayProcess(Process process, Uri url, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Url = url;
    }

    /// <summary>
    /// The relay as `dotnet build Relay.sln -c Release` leaves it, found from this assembly's own
    /// output folder (load/Relay.Load/bin/Release/net10.0, or a test project's at the same depth).
    /// </summary>
    public static string BuiltRelayDll { get; } =
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../core/Relay.Server/bin/Release/net10.0/Relay.Server.dll"));

    public Uri Url { get; }

    public int Id => _process.Id;

    /// <param name="cpus">
    /// A CPU list as taskset(1) takes it ("0", "0-1"): the relay runs only there, so that with the load
    /// suite itself under `taskset -c 1` the two do not compete for a core. Null: wherever the system
    /// puts it (the load suite's own affinity, inherited).
    /// </param>
    public static async Task<RelayProcess> StartAsync(string dll, string apiKey, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken, string? cpus = null)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The relay is not built at {dll}; run `dotnet build Relay.sln -c Release` first, or pass --relay-dll.");
        }

        int httpPort = FreePort(SocketType.Stream, ProtocolType.Tcp);
        int mediaPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var url = new Uri($"http://127.0.0.1:{httpPort}");
        string dataDirectory = Directory.CreateTempSubdirectory("relay-load-data-").FullName;
        var start = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpus is not null)
        {
            // taskset execs dotnet in place, so the process (and the id whose CPU time is read) is the relay's.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpus);
            start.ArgumentList.Add("dotnet");
        }

        foreach (string argument in new[]
        {
            dll,
            "--urls", url.ToString(),
            "--Relay:Media:Port=" + mediaPort.ToString(CultureInfo.InvariantCulture),
            "--Relay:Media:BindAddress=127.0.0.1",
            "--Relay:DataDirectory=" + dataDirectory,
            "--Relay:ApiKeys:0:Name=load-suite",
            "--Relay:ApiKeys:0:Key=" + apiKey,
            "--Relay:ApiKeys:0:Role=officer",
            // Every session here sends its link (through the outbox) to one test number.
            "--Relay:Sms:Limits:PerNumber:Count=100000",
            "--Relay:Sms:Limits:PerOfficer:Count=100000",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("relay: " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("relay: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var relay = new RelayProcess(process, url, dataDirectory);
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The relay exited with code {process.ExitCode} while starting.");
                }

                try
                {
                    using HttpResponseMessage response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return relay;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // This probe timed out: a machine busy with builds starts the relay slowly.
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("The relay did not report healthy within 60 s.");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            relay.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
