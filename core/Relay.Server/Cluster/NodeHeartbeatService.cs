using System.Diagnostics.CodeAnalysis;
using Relay.Cluster;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;
using Relay.Portal.Node;

namespace Relay.Server.Cluster;

/// <summary>
/// Connects to the cluster's Redis and, once the server listens, publishes this node's latest sample (the one its Nodes
/// page charts) every <see cref="ClusterOptions.HeartbeatInterval"/>, and appends it to the node's last hour in Redis
/// (<see cref="NodeHistoryLog"/>) in the same round trip, for every node's Nodes page to chart. A failed heartbeat is logged once per outage (by
/// the connection) and retried at the next tick; it never stops the node. On a clean stop the node leaves at once.
/// </summary>
internal sealed partial class NodeHeartbeatService(
    RedisConnection redis,
    NodeRegistry registry,
    NodeHistoryLog historyLog,
    LocalClusterNode local,
    IPortalNode node,
    IPortalNodeHistory history,
    IHostApplicationLifetime lifetime,
    ClusterOptions options,
    TimeProvider time,
    ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    private DateTimeOffset _lastKept;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.Start();
        try
        {
            await WhenStartedAsync(stoppingToken).ConfigureAwait(false);
            await redis.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
            await BeatAsync().ConfigureAwait(false);
            using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await BeatAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A missed heartbeat is logged by the connection and retried; it must not stop the node.")]
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (redis.Status.Connected)
        {
            try
            {
                await registry.LeaveAsync(local.NodeId).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.LeaveFailed(logger, e.Message);
            }
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A missed heartbeat is logged by the connection and retried; it must not stop the node.")]
    private async Task BeatAsync()
    {
        try
        {
            NodeFigures figures = Latest();
            Task beat = registry.PublishAsync(new NodeHeartbeat(local.Registration, figures, time.GetUtcNow()));
            // A heartbeat that comes before the sampler's next sample carries the same one: it is charted once.
            Task kept = figures.At == _lastKept ? Task.CompletedTask : historyLog.AppendAsync(local.NodeId, figures);
            await Task.WhenAll(beat, kept).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            _lastKept = figures.At;
        }
        catch (Exception e)
        {
            redis.ReportFailure(e);
        }
    }

    private NodeFigures Latest()
    {
        IReadOnlyList<NodeSample> samples = history.Samples();
        if (samples.Count > 0)
        {
            NodeSample s = samples[^1];
            return new NodeFigures(s.At, s.Streams, s.Viewers, s.PacketsInPerSecond, s.PacketsOutPerSecond, s.DroppedPerSecond, s.NacksPerSecond, s.CpuPercent, s.MemoryBytes);
        }

        NodeReading now = node.Read();
        return new NodeFigures(now.At, now.Streams, now.Viewers, 0, 0, 0, 0, 0, now.WorkingSetBytes);
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = lifetime.ApplicationStarted.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), started);
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 930, Level = LogLevel.Information, Message = "Cluster: could not say this node is leaving ({Reason}); the others see it gone when its heartbeat expires")]
        public static partial void LeaveFailed(ILogger logger, string reason);
    }
}
