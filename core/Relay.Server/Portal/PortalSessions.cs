using Microsoft.Extensions.Options;
using Relay.Control.Evidence.Retention;
using Relay.Control.Location;
using Relay.Control.Sessions;
using Relay.Portal.Node;
using Relay.Server.Audit;
using Relay.Server.Sessions;

namespace Relay.Server.Portal;

/// <summary>The portal's view of sessions, over the same store, media and session creation the HTTP API uses.</summary>
internal sealed class PortalSessions(
    ISessionStore store,
    ISessionMedia media,
    ILocationDirectory locations,
    SessionLinkSender links,
    AuditTrail audit,
    IOptionsMonitor<CallSessionOptions> options,
    IRetentionCategories retention,
    TimeProvider time) : IPortalSessions
{
    public async Task<IReadOnlyList<RetentionChoice>> ListRetentionCategoriesAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RetentionCategory> categories = await retention.ListAsync(cancellationToken).ConfigureAwait(false);
        var choices = new List<RetentionChoice>(categories.Count);
        foreach (RetentionCategory category in categories)
        {
            choices.Add(new RetentionChoice(category.Id, category.Name, category.IsDefault));
        }

        return choices;
    }

    public async Task<IReadOnlyList<LiveSession>> ListOpenAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<CallSession> sessions = await store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var open = new List<LiveSession>();
        foreach (CallSession session in sessions)
        {
            if (session.State == SessionState.Ended)
            {
                continue;
            }

            SessionResponse response = SessionResponse.From(session, media.Describe(session.Id), locations.GetLast(session.Id));
            LocationSummary? fix = response.LastLocation is { } last
                ? new LocationSummary(last.Lat, last.Lon, last.Accuracy, last.Time, last.GridReference)
                : null;
            open.Add(new LiveSession(session.Id, session.Incident, response.Mode, response.State, response.Media.Stream, response.Media.Viewers, session.CreatedAt, session.CreatedBy, fix));
        }

        return open;
    }

    public async Task<NewSessionOutcome> CreateAsync(NewSessionRequest request, string officer, string linkBaseUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new CreateSessionRequest
        {
            Incident = request.Incident,
            Phone = request.Phone,
            Mode = request.Mode,
            Audio = request.Audio,
            Retention = request.Retention,
        };
        SessionCreation created = await new SessionCreator(links, audit, options, retention, time).CreateAsync(body, officer, SessionCreatorKind.User, linkBaseUrl, cancellationToken).ConfigureAwait(false);
        if (created.Errors is { } errors)
        {
            return new NewSessionOutcome(null, null, null, null, errors, null);
        }

        if (created.Refusal is { } refusal)
        {
            return new NewSessionOutcome(null, null, null, null, new Dictionary<string, string[]>(), refusal.Detail);
        }

        CallSession session = created.Session!;
        return new NewSessionOutcome(session.Id, created.Link, session.CallerTokenExpiresAt, ToStatus(created.Sms!), new Dictionary<string, string[]>(), null);
    }

    public async Task<bool> EndAsync(string sessionId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        bool ended = await store.EndAsync(sessionId, time.GetUtcNow(), actor, cancellationToken).ConfigureAwait(false);
        media.End(sessionId);
        if (ended)
        {
            await audit.SessionEndedAsync(actor, sessionId).ConfigureAwait(false);
        }

        return ended;
    }

    public async Task<SmsStatus?> RefreshSmsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        CallSession? session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return null;
        }

        session = await links.RefreshDeliveryAsync(session, cancellationToken).ConfigureAwait(false);
        return ToStatus(session.Sms);
    }

    private static SmsStatus ToStatus(SessionSms sms) => new(SessionSms.ToText(sms.State), sms.Error);
}
