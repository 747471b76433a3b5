using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>
/// The media port is open to the internet. Garbage on it, from addresses that never passed an ICE
/// check, must cost a good session nothing: the relay drops and counts it, and keeps serving.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class HostileMediaInputTests(ChromiumFixture chromium, RelayFixture relay, ITestOutputHelper output)
{
    private const string Dropped = "relay_packets_dropped_total";
    private const int Senders = 4;

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task HostileDatagramsOnTheMediaPortAreDroppedAndCountedWhileAGoodViewerKeepsDecoding()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);
        await pages.PublishAsync(server, session, "vp8");
        IPage viewer = await pages.ViewAsync(server, session);
        ViewerStats before = await TestPages.WaitForStatsAsync(viewer, s => s.FramesDecoded >= 15, TimeSpan.FromSeconds(10), "the viewer to decode");
        PrometheusSample metricsBefore = await server.ScrapeAsync();

        using var healthChecks = new CancellationTokenSource();
        Task<int> unhealthy = CountFailedHealthChecksAsync(server, healthChecks.Token);
        int sent = await SendAsync(server.MediaPort);
        await Task.Delay(200);
        PrometheusSample metricsAnonymous = await server.ScrapeAsync();
        (int validatedRtp, double validatedDropped) = await SendFromValidatedPeerAsync(server, session);
        ViewerStats after = await TestPages.WaitForStatsAsync(
            viewer, s => s.FramesDecoded >= before.FramesDecoded + 60, TimeSpan.FromSeconds(8), "the viewer to keep decoding through the hostile traffic");
        await healthChecks.CancelAsync();
        int failedHealthChecks = await unhealthy;

        PrometheusSample metricsAfter = await server.ScrapeAsync();
        double dropped = metricsAnonymous.Sum(Dropped) - metricsBefore.Sum(Dropped);
        output.WriteLine($"anonymous: sent {sent} hostile datagrams; {Dropped} rose by {dropped}");
        output.WriteLine($"validated peer: sent {validatedRtp} RTP/RTCP after junk DTLS; {Dropped} rose by {validatedDropped}");
        output.WriteLine($"viewer before {before}, after {after}");
        await File.WriteAllTextAsync(Path.Combine(Repository.Artifacts, "hostile-input-metrics.txt"), metricsAfter.Text);
        await TestPages.ScreenshotAsync(viewer, "hostile-input-viewer");

        Assert.Equal(0, failedHealthChecks);
        Assert.True(await server.IsHealthyAsync(), "/healthz fails after the hostile traffic.");
        Assert.False(server.HasExited, "The relay exited.");
        Assert.True(metricsAfter.Has(Dropped), $"/metrics has no {Dropped}.");

        // Loopback may lose a little of a burst in the socket buffer, before the relay sees it.
        Assert.True(dropped >= sent * 0.8, $"{Dropped} rose by {dropped} for {sent} hostile datagrams.");
        Assert.True(
            validatedDropped >= validatedRtp * 0.8,
            $"{Dropped} rose by {validatedDropped} for {validatedRtp} RTP/RTCP packets without keys from a peer that passed ICE.");
    }

    /// <summary>Sends every hostile datagram from a few sockets, paced so the kernel's buffer keeps up.</summary>
    private static async Task<int> SendAsync(int mediaPort)
    {
        var target = new IPEndPoint(IPAddress.Loopback, mediaPort);
        var sockets = new Socket[Senders];
        for (int i = 0; i < Senders; i++)
        {
            sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sockets[i].Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        try
        {
            int sent = 0;
            foreach (byte[] datagram in HostileDatagrams.All(seed: 20261201, randomCount: 3000, floodCount: 10000))
            {
                await sockets[sent % Senders].SendToAsync(datagram, SocketFlags.None, target);
                if (++sent % 100 == 0)
                {
                    await Task.Delay(2);
                }
            }

            return sent;
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>A peer that passes ICE, then sends junk DTLS and RTP/RTCP without keys; the RTP count and the drops counted for it.</summary>
    private static async Task<(int RtpSent, double Dropped)> SendFromValidatedPeerAsync(RelayServer server, RelaySession session)
    {
        using var peer = new IceCheckingPeer();
        await peer.JoinAsViewerAsync(server, session);
        Assert.True(await peer.PassConnectivityCheckAsync(), "The relay did not answer a correct ICE check; the rest of the test needs a validated address.");
        PrometheusSample before = await server.ScrapeAsync();
        const int DtlsCount = 200;
        const int RtpCount = 2000;
        int sent = 0;
        foreach (byte[] datagram in HostileDatagrams.FromValidatedPeer(seed: 7, DtlsCount, RtpCount))
        {
            await peer.SendAsync(datagram);
            if (++sent % 100 == 0)
            {
                await Task.Delay(2);
            }
        }

        // Counters are read when scraped; give the relay's worker a moment to drain its socket.
        await Task.Delay(200);
        PrometheusSample after = await server.ScrapeAsync();
        return (RtpCount, after.Sum(Dropped) - before.Sum(Dropped));
    }

    private static async Task<int> CountFailedHealthChecksAsync(RelayServer server, CancellationToken stop)
    {
        int failed = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!await server.IsHealthyAsync())
            {
                failed++;
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return failed;
    }
}
