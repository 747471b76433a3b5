using System.Diagnostics.CodeAnalysis;

namespace Relay.Server.Location;

/// <summary>
/// Checks the open sessions' states five times a second, so a caller's Stop, an officer's end or a
/// publisher dropping out reaches every socket well within the 2 s the caller's Stop allows.
/// </summary>
internal sealed partial class SessionStateWatcher(LocationHub hub, TimeProvider time, ILogger<SessionStateWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [SuppressMessage("Design", "CA1031", Justification = "One failed round must not stop the watcher; it is logged and the next round runs.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await hub.RefreshAllAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.RefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "Location: checking the sessions' states failed")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
