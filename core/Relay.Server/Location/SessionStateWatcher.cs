using System.Diagnostics.CodeAnalysis;
using Relay.Server.Sessions;

namespace Relay.Server.Location;

/// <summary>
/// Pushes each session's state (waiting, live, reconnecting, gone, ended) to its sockets when it
/// changes: the session endpoints, the media streams and the sockets themselves queue a session in
/// <see cref="SessionStateChanges"/> as it happens, and this works each one out and sends it, one at a
/// time so a socket never sees states out of order. Every <see cref="SafetyNetInterval"/> it also looks
/// at every session with open sockets, for changes made where this node cannot hear them (another
/// process ending a session in the shared database).
/// </summary>
internal sealed partial class SessionStateWatcher(LocationHub hub, SessionStateChanges changes, TimeProvider time, ILogger<SessionStateWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan SafetyNetInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task safetyNet = SafetyNetAsync(stoppingToken);
        try
        {
            while (true)
            {
                string sessionId = await changes.NextAsync(stoppingToken).ConfigureAwait(false);
                await RefreshAsync(sessionId, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await safetyNet.ConfigureAwait(false);
    }

    [SuppressMessage("Design", "CA1031", Justification = "One failed refresh must not stop the pushes; it is logged and the next change is handled.")]
    private async Task RefreshAsync(string sessionId, CancellationToken stoppingToken)
    {
        try
        {
            await hub.RefreshAsync(sessionId, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RefreshFailed(logger, sessionId, e);
        }
    }

    private async Task SafetyNetAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SafetyNetInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                hub.MarkAllChanged();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "Location: working out the state of session {SessionId} failed")]
        public static partial void RefreshFailed(ILogger logger, string sessionId, Exception exception);
    }
}
