using System.Security.Cryptography;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Cluster;

/// <summary>
/// Two relay processes, node-a and node-b, on one redis-server, one SQLite database file and one evidence folder (one
/// data directory), as a cluster of two machines would share Redis and a database. Heartbeats every second (a node is
/// gone after three missed), and the periodic tuning reload set far beyond the test, so only the "reload" message can
/// bring a change across in time.
/// </summary>
public sealed class ClusterRelayFixture : IAsyncLifetime
{
    public const string Admin = "admin";
    public const string Password = "cluster end to end passphrase";

    private RedisProcess? _redis;
    private string? _shared;

    public RelayServer A { get; private set; } = null!;

    public RelayServer B { get; private set; } = null!;

    /// <summary>An operator (engineer) key both nodes accept, for <c>/api/tuning</c>.</summary>
    public string OperatorKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _shared = Directory.CreateTempSubdirectory("relay-e2e-cluster-").FullName;
        // A first, alone: it migrates the shared database and creates the administrator.
        A = await RelayServer.StartAsync("cluster-a", [.. Settings("node-a"), "--RELAY_ADMIN_USER=" + Admin, "--RELAY_ADMIN_PASSWORD=" + Password]);
        B = await RelayServer.StartAsync("cluster-b", Settings("node-b"));
    }

    /// <summary>Starts one more node of the same cluster (the caller disposes it), as a node started or restarted late would join.</summary>
    public Task<RelayServer> StartNodeAsync(string node) => RelayServer.StartAsync("cluster-" + node, Settings(node));

    private string[] Settings(string node) =>
    [
        "--Relay:DataDirectory=" + _shared,
        "--Relay:Cluster:Redis=" + _redis!.Address,
        "--Relay:Cluster:NodeId=" + node,
        "--Relay:Cluster:NodeName=" + node,
        "--Relay:Cluster:HeartbeatInterval=00:00:01",
        "--Relay:Cluster:HeartbeatsToLive=3",
        "--Relay:Cluster:TuningReloadInterval=01:00:00",
        "--Relay:Portal:NodeSampleInterval=00:00:01",
        "--Relay:ApiKeys:1:Name=operations",
        "--Relay:ApiKeys:1:Key=" + OperatorKey,
        "--Relay:ApiKeys:1:Role=operator",
    ];

    /// <summary>Kills node-b (SIGKILL: it cannot say it is leaving).</summary>
    public async Task KillBAsync()
    {
        RelayServer b = B;
        B = null!;
        await b.DisposeAsync();
    }

    /// <summary>Kills the redis-server.</summary>
    public void KillRedis()
    {
        _redis?.Dispose();
        _redis = null;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (B is not null)
            {
                await B.DisposeAsync();
            }
        }
        finally
        {
            if (A is not null)
            {
                await A.DisposeAsync();
            }

            KillRedis();
        }

        if (_shared is not null)
        {
            try
            {
                Directory.Delete(_shared, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }
}
