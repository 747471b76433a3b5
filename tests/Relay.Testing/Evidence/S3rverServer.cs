using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Relay.Testing.Evidence;

/// <summary>
/// A real S3-compatible server for the evidence store tests: s3rver (npm), installed on first use
/// into tests/Relay.Testing/Evidence/s3rver/node_modules from the npm registry, run with node on
/// 127.0.0.1 and a free port, one bucket (<see cref="Bucket"/>) created at start. <see cref="StopAsync"/>
/// and <see cref="StartAsync"/> take it down and bring it back on the same port with the same data,
/// for outage tests. Disposing kills the process and removes its data.
/// </summary>
/// <remarks>
/// s3rver does not implement S3 Object Lock (retention, legal hold) or conditional writes
/// (If-None-Match): tests check that our requests carry those headers, not that the server enforces them.
/// </remarks>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string Bucket = "evidence";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly SemaphoreSlim s_installLock = new(1, 1);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "relay-s3rver-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    private S3rverServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Installs s3rver if needed and starts it.</summary>
    public static async Task<S3rverServer> StartNewAsync()
    {
        var server = new S3rverServer(FreeLoopbackPort());
        Directory.CreateDirectory(server._dataDirectory);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        string script = await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { script, "-d", _dataDirectory, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", Bucket })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Process started = _process;
        // A test host that exits without disposing (a crash, a time-out) still takes s3rver with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                started.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        };
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited at start with code {_process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, limit.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, limit.Token);
            }
        }
    }

    /// <summary>Kills the server (as an outage would); its data stays for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The s3rver script, installed with <c>npm install</c> next to the package.json kept in this folder
    /// when missing. A lock file keeps test projects running at once from installing over each other.
    /// </summary>
    private static async Task<string> EnsureInstalledAsync()
    {
        string folder = Path.Combine(RepositoryRoot(), "tests", "Relay.Testing", "Evidence", "s3rver");
        string script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        await s_installLock.WaitAsync();
        try
        {
            if (File.Exists(script))
            {
                return script;
            }

            using var lockFile = await AcquireFileLockAsync(Path.Combine(folder, ".install.lock"));
            if (File.Exists(script))
            {
                return script;
            }

            var install = new ProcessStartInfo("npm")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error" })
            {
                install.ArgumentList.Add(argument);
            }

            using Process npm = Process.Start(install) ?? throw new InvalidOperationException("npm did not start (apt-get install npm)");
            Task<string> output = npm.StandardOutput.ReadToEndAsync();
            Task<string> error = npm.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(limit.Token);
            if (npm.ExitCode != 0 || !File.Exists(script))
            {
                throw new InvalidOperationException($"npm install of s3rver failed ({npm.ExitCode}): {await output} {await error}");
            }

            return script;
        }
        finally
        {
            s_installLock.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(200, limit.Token);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Relay.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Relay.sln not found above " + AppContext.BaseDirectory);
    }
}
