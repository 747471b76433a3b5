using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Relay.Cluster.Tests;

/// <summary>
/// A real redis-server (Debian's) for one test class, on a free loopback port, with persistence off
/// (<c>--save "" --appendonly no</c>); killed when the class is done. <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> make an outage on the same port.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The configuration text a node is given (<c>Relay:Cluster:Redis</c>).</summary>
    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        Port = FreeTcpPort();
        await StartAsync();
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; install Debian's redis-server.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}.");
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server on port {Port} did not answer PING within 10 s.");
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }

            process.Dispose();
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync() => StopAsync();

    /// <summary>Sends one command in RESP and returns the raw reply (for checks from outside the client under test).</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        NetworkStream stream = client.GetStream();
        var request = new StringBuilder();
        request.Append(CultureInfo.InvariantCulture, $"*{arguments.Length}\r\n");
        foreach (string argument in arguments)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var buffer = new byte[65536];
        int read = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
