using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Cluster.Redis;
using Relay.Plugins.Abstractions.Sms;
using Relay.Portal.Node;
using Relay.Server.Tests.Sessions;
using Relay.Server.Tuning;

namespace Relay.Server.Tests.Cluster;

/// <summary>
/// The relay with and without <c>Relay:Cluster:Redis</c>: single by default with nothing of the cluster running, and
/// with a Redis that is not there still starting, serving its API and saying plainly that Redis is unreachable.
/// </summary>
public sealed class ClusterHostingTests
{
    [Fact]
    public async Task WithoutRedisConfiguredTheRelayRunsAsASingleNodeAndConnectsToNothing()
    {
        await using TestRelay relay = await TestRelay.StartAsync();

        Assert.Null(relay.Services.GetService<RedisConnection>());
        Assert.False(relay.Services.GetRequiredService<IPortalCluster>().Enabled);
        JsonElement health = await relay.Http.GetFromJsonAsync<JsonElement>("/healthz/cluster");
        Assert.False(health.GetProperty("clustered").GetBoolean());
        Assert.Contains("runs as a single node", health.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRedisUnreachableTheRelayStartsServesItsApiAndSaysRedisIsUnreachable()
    {
        await using TestRelay relay = await TestRelay.StartWithAsync(
            services => services.AddSingleton<ISmsSender>(new TestSmsSender()),
            null,
            ["--Relay:Cluster:Redis=127.0.0.1:" + UnusedPort(), "--Relay:Cluster:NodeId=lonely"]);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        Assert.Equal(HttpStatusCode.OK, (await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        HttpResponseMessage created = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-9", phone = "+447700900123", mode = "video", retention = "mopi-group-3" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        JsonElement health = default;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            health = await relay.Http.GetFromJsonAsync<JsonElement>("/healthz/cluster");
            if (health.GetProperty("problem").ValueKind == JsonValueKind.String && health.GetProperty("problem").GetString() != "Not connected yet.")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(health.GetProperty("clustered").GetBoolean());
        Assert.False(health.GetProperty("connected").GetBoolean());
        Assert.Equal("lonely", health.GetProperty("nodeId").GetString());
        Assert.StartsWith("The cluster's Redis is unreachable", health.GetProperty("detail").GetString(), StringComparison.Ordinal);
        ClusterView view = await relay.Services.GetRequiredService<IPortalCluster>().ReadAsync();
        Assert.False(view.Connected);
        Assert.NotNull(view.Problem);
    }

    [Fact]
    public async Task ReloadingTuningPicksUpAChangeAnotherNodeStored_AndOtherwiseChangesNothing()
    {
        string shared = Directory.CreateTempSubdirectory("relay-cluster-tuning-").FullName;
        try
        {
            await using TestRelay a = await TestRelay.StartOnAsync(shared);
            await using TestRelay b = await TestRelay.StartOnAsync(shared);
            LiveTuning tuningB = b.Services.GetRequiredService<LiveTuning>();
            Assert.False(await tuningB.LoadAsync(CancellationToken.None));

            using HttpClient engineer = a.CreateClient(TestRelay.OperatorKey);
            HttpResponseMessage changed = await engineer.PutAsJsonAsync("/api/tuning/Relay:Sessions:CallerTokenLifetime", new { value = "00:05:00", reason = "shorter links everywhere" });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

            Assert.True(await tuningB.LoadAsync(CancellationToken.None));
            Assert.False(await tuningB.LoadAsync(CancellationToken.None));
            TuningSetting lifetime = (await tuningB.ListAsync()).Single(static s => s.Key == "Relay:Sessions:CallerTokenLifetime");
            Assert.Equal(("00:05:00", TuningSource.Tuned), (lifetime.Value, lifetime.Source));
        }
        finally
        {
            try
            {
                Directory.Delete(shared, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
