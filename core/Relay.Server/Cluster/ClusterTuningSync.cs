using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Relay.Cluster;
using Relay.Cluster.Events;
using Relay.Cluster.Redis;
using Relay.Server.Tuning;

namespace Relay.Server.Cluster;

/// <summary>
/// Tuning changes reach every node without a restart. The database stays the source of truth: a node that changes a
/// setting stores it (<see cref="LiveTuning"/>), then publishes "reload" on <c>{prefix}tuning</c>; every other node
/// reads the stored changes again at once. Pub/sub is at-most-once, so each node also reloads every
/// <see cref="ClusterOptions.TuningReloadInterval"/>, which catches a message missed during a Redis outage.
/// </summary>
internal sealed partial class ClusterTuningSync(
    LiveTuning tuning,
    ClusterEvents events,
    RedisConnection redis,
    LocalClusterNode local,
    ClusterOptions options,
    TimeProvider time,
    ILogger<ClusterTuningSync> logger) : BackgroundService
{
    public const string Channel = "tuning";

    // One pending reload is enough: a reload reads everything stored, so requests that come while one waits add nothing.
    private readonly Channel<string> _reloads = System.Threading.Channels.Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        tuning.Changed += Announce;
        try
        {
            redis.Start();
            Task periodic = ReloadPeriodicallyAsync(stoppingToken);
            Task subscribed = SubscribeAsync(stoppingToken);
            await foreach (string reason in _reloads.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReloadAsync(reason, stoppingToken).ConfigureAwait(false);
            }

            await Task.WhenAll(periodic, subscribed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            tuning.Changed -= Announce;
        }
    }

    // Waits for the client to exist, not for Redis: the client renews the subscription after every reconnect.
    [SuppressMessage("Design", "CA1031", Justification = "Without the subscription the periodic check still brings changes in.")]
    private async Task SubscribeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await events.SubscribeAsync(Channel, Heard).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            Log.SubscribeFailed(logger, options.TuningReloadInterval, e);
        }
    }

    private async Task ReloadPeriodicallyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.TuningReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                _reloads.Writer.TryWrite("the periodic check");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Called on the Redis client's thread: only queue the reload.
    private void Heard(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        string from = newline < 0 ? message : message[..newline];
        if (from != local.NodeId)
        {
            _reloads.Writer.TryWrite("a change on node " + (from.Length > 200 ? from[..200] : from));
        }
    }

    private void Announce(string key) => _ = AnnounceAsync(key);

    [SuppressMessage("Design", "CA1031", Justification = "The change is stored; a node that misses the message reloads at its periodic check.")]
    private async Task AnnounceAsync(string key)
    {
        try
        {
            await events.PublishAsync(Channel, local.NodeId + "\n" + key).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            redis.ReportFailure(e);
            Log.AnnounceFailed(logger, key, options.TuningReloadInterval, RedisConnection.Describe(e));
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failed reload keeps the values in force and is tried again at the next message or check.")]
    private async Task ReloadAsync(string reason, CancellationToken stoppingToken)
    {
        try
        {
            if (await tuning.LoadAsync(stoppingToken).ConfigureAwait(false))
            {
                Log.Reloaded(logger, reason);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Log.ReloadFailed(logger, reason, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 940, Level = LogLevel.Information, Message = "Cluster: tuning reloaded from the database after {Reason}")]
        public static partial void Reloaded(ILogger logger, string reason);

        [LoggerMessage(EventId = 941, Level = LogLevel.Warning, Message = "Cluster: the change to {Key} is stored, but the other nodes could not be told ({Reason}); they apply it at their next check, within {Interval}")]
        public static partial void AnnounceFailed(ILogger logger, string key, TimeSpan interval, string reason);

        [LoggerMessage(EventId = 943, Level = LogLevel.Error, Message = "Cluster: cannot listen for other nodes' tuning changes; they apply here at the periodic check, every {Interval}")]
        public static partial void SubscribeFailed(ILogger logger, TimeSpan interval, Exception exception);

        [LoggerMessage(EventId = 942, Level = LogLevel.Error, Message = "Cluster: reloading tuning after {Reason} failed; the values in force stay")]
        public static partial void ReloadFailed(ILogger logger, string reason, Exception exception);
    }
}
