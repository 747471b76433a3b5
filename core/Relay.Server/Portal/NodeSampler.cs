using System.Diagnostics.CodeAnalysis;
using Relay.Portal.Node;

namespace Relay.Server.Portal;

/// <summary>
/// Samples this node for the Nodes page's charts: a reading at start, then one every <see cref="Interval"/>
/// (<c>Relay:Portal:NodeSampleInterval</c>, 10 s by default), into a <see cref="NodeHistory"/> of an hour's
/// samples allocated once. Runs whether or not anyone has the page open, so the charts show the hour before it was opened.
/// </summary>
internal sealed partial class NodeSampler(IPortalNode node, NodeHistory history, TimeProvider time, IConfiguration configuration, ILogger<NodeSampler> logger)
    : BackgroundService, IPortalNodeHistory
{
    public const string IntervalSetting = "Relay:Portal:NodeSampleInterval";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    public TimeSpan Interval { get; } = configuration.GetValue(IntervalSetting, DefaultInterval) is { } interval && interval > TimeSpan.Zero ? interval : DefaultInterval;

    public IReadOnlyList<NodeSample> Samples() => history.Snapshot();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Sample();
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failed reading leaves a gap in the chart; it must not stop the sampling or the host.")]
    private void Sample()
    {
        try
        {
            history.Add(node.Read());
        }
        catch (Exception e)
        {
            Log.SampleFailed(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 630, Level = LogLevel.Warning, Message = "Portal: reading this node for its history failed")]
        public static partial void SampleFailed(ILogger logger, Exception exception);
    }
}
