using Relay.Server.Location;
using Relay.Server.Streams;

namespace Relay.Server.Sessions.Sharing;

/// <summary>
/// Cuts an officer off a session the moment a share is withdrawn: their video viewers (WHEP) are removed, so
/// nothing more is sent to them, and their location and chat sockets are told why and closed. Without this an
/// unshared officer's open player kept watching until it next asked the relay for something.
/// </summary>
/// <remarks>
/// This node only: viewers on other nodes are cut off when the cluster carries the unshare (issue 6, cluster).
/// Ending a session already ends its stream and closes every socket, for everyone.
/// </remarks>
internal sealed partial class AccessWithdrawal(StreamRegistry streams, LocationHub hub, ILogger<AccessWithdrawal> logger)
{
    public void Withdraw(string sessionId, string officer)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(officer);
        int viewers = streams.RemoveViewersNamed(sessionId, officer);
        int sockets = hub.Withdraw(sessionId, officer);
        Log.Withdrawn(logger, sessionId, officer, viewers, sockets);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 631, Level = LogLevel.Information, Message = "Sharing: {Officer}'s access to {SessionId} withdrawn; {Viewers} video viewers and {Sockets} live sockets closed")]
        public static partial void Withdrawn(ILogger logger, string sessionId, string officer, int viewers, int sockets);
    }
}
