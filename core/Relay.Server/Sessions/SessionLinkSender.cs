using Relay.Control.Sessions;

namespace Relay.Server.Sessions;

/// <summary>Stores a new session and sends its link to the caller by SMS, when a provider is configured.</summary>
internal sealed class SessionLinkSender(ISessionStore store)
{
    /// <summary>The SMS outcome once the session is stored; or null and the refusal to answer with, when nothing was stored.</summary>
    public async Task<(SessionSms? Sms, Microsoft.AspNetCore.Http.IResult? Refusal)> CreateAndSendAsync(CallSession session, string link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(link);
        await store.AddAsync(session with { Sms = SessionSms.NotConfigured }, cancellationToken).ConfigureAwait(false);
        return (SessionSms.NotConfigured, null);
    }
}
