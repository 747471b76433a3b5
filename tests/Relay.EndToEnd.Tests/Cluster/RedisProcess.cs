using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Cluster;

/// <summary>Debian's redis-server on a free loopback port, persistence off, killed with the test class.</summary>
public sealed class RedisProcess : IDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>Relay:Cluster:Redis</c> for the relays.</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static async Task<RedisProcess> StartAsync()
    {
        int port = FreePort.Tcp();
        var info = new ProcessStartInfo("redis-server");
        foreach (string argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            info.ArgumentList.Add(argument);
        }

        var redis = new RedisProcess(ChildProcesses.Start(info, Path.Combine(Repository.Artifacts, "redis-cluster.log")), port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return redis;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        redis.Dispose();
        throw new TimeoutException($"redis-server did not listen on {port} within 10 s; is Debian's redis-server installed?");
    }

    public void Dispose()
    {
        ChildProcesses.Kill(_process);
        _process.Dispose();
    }
}
