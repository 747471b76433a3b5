namespace Relay.Server.Location;

/// <summary>
/// Whether a caller credential (the <c>relay_caller</c> cookie's caller key, or a Bearer) is good
/// for a session. The sessions work provides <c>ICallerAuthenticator</c>; this seam keeps the
/// location endpoints to that one question.
/// </summary>
internal interface ICallerGate
{
    ValueTask<bool> AllowsAsync(string sessionId, string credential, CancellationToken cancellationToken);
}
