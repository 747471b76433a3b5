using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Relay.Control.Audit;
using Relay.Control.Chat;
using Relay.Control.Location;
using Relay.Control.Sessions;
using Relay.Control.Sessions.Sharing;
using Relay.Control.Users;
using Relay.Portal.Node;
using Relay.Server.Player;
using Relay.Server.Sessions;
using Relay.Server.Sessions.Sharing;
using Relay.Server.Streams;

namespace Relay.Server.Portal;

/// <summary>
/// The Live page and session detail page over the same store, gate and sharing the HTTP API uses.
/// The person's roles are read from the user directory on every call, so a page left open does
/// not keep access its person has lost.
/// </summary>
internal sealed class PortalSessionDetail(
    ISessionStore store,
    ISessionShares shares,
    SessionGate gate,
    SessionSharing sharing,
    StreamRegistry streams,
    ILocationDirectory locations,
    ILocationFixLog fixes,
    ChatHistory chat,
    IAuditLog audit,
    IUserDirectory users,
    IOptions<MapOptions> map,
    TimeProvider time) : IPortalSessionDetail
{
    /// <summary>Bitrate is measured over at least this long, however often pages ask.</summary>
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, RateSample> _rates = new(StringComparer.Ordinal);

    public MapTiles Map => new(map.Value.TileUrl, map.Value.Attribution, map.Value.MaxZoom);

    public async Task<IReadOnlyList<LiveSessionRow>> ListLiveAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (await ViewerAsync(user, cancellationToken).ConfigureAwait(false) is not { } viewer)
        {
            return [];
        }

        IReadOnlyList<CallSession> all = await store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var open = new List<CallSession>();
        foreach (CallSession session in all)
        {
            if (session.State != SessionState.Ended)
            {
                open.Add(session);
            }
        }

        IReadOnlyList<CallSession> visible = await gate.FilterAsync(viewer, open, cancellationToken).ConfigureAwait(false);
        var rows = new List<LiveSessionRow>(visible.Count);
        foreach (CallSession session in visible)
        {
            SessionResponse response = SessionResponse.From(session, streams.Describe(session.Id), locations.GetLast(session.Id));
            rows.Add(new LiveSessionRow(
                session.Id,
                session.Incident,
                response.Mode,
                response.State,
                response.Media.Viewers,
                BitsPerSecond(session.Id),
                session.CreatedAt,
                session.CreatedBy,
                Summary(locations.GetLast(session.Id))));
        }

        // Over every open session, not the visible ones: another person's page measures the rest.
        ForgetEnded(open);
        return rows;
    }

    public async Task<SessionDetailLookup> FindAsync(string sessionId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (await ViewerAsync(user, cancellationToken).ConfigureAwait(false) is not { } viewer)
        {
            return new SessionDetailLookup(null, "Your account is no longer enabled. Sign in again, or ask an engineer.");
        }

        CallSession? session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return new SessionDetailLookup(null, "There is no such session. Check the link, or open it from the Live page.");
        }

        if (!await gate.MaySeeAsync(viewer, session, cancellationToken).ConfigureAwait(false))
        {
            return new SessionDetailLookup(null, "This session is not shared with you. Ask a supervisor, or the officer who created it, to share it with you.");
        }

        SessionResponse response = SessionResponse.From(session, streams.Describe(session.Id), locations.GetLast(session.Id));
        IReadOnlyList<LocationFix> trail = await fixes.ReadAsync(session.Id, session.CreatedAt, time.GetUtcNow().AddMinutes(1), cancellationToken).ConfigureAwait(false);
        var trailLines = new List<LocationSummary>(trail.Count);
        foreach (LocationFix fix in trail)
        {
            trailLines.Add(Summary(fix)!);
        }

        var chatLines = new List<ChatLine>();
        foreach (ChatMessage message in chat.Get(session.Id))
        {
            chatLines.Add(new ChatLine(message.From == ChatSender.Caller ? "caller" : "officer", message.Author, message.Text, message.Time));
        }

        var auditLines = new List<AuditLine>();
        long after = 0;
        while (true)
        {
            IReadOnlyList<AuditRecord> page = await audit.QueryAsync(new AuditQuery { Subject = session.Id, AfterSequence = after, Limit = AuditQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
            foreach (AuditRecord row in page)
            {
                auditLines.Add(new AuditLine(row.Sequence, row.Time, row.Actor, row.Action, Describe(row)));
                after = row.Sequence;
            }

            if (page.Count < AuditQuery.MaxLimit)
            {
                break;
            }
        }

        var shareLines = new List<ShareLine>();
        foreach (SessionShare share in await shares.ListAsync(session.Id, cancellationToken).ConfigureAwait(false))
        {
            shareLines.Add(new ShareLine(share.Officer, share.SharedBy, share.SharedAt, share.Reason));
        }

        return new SessionDetailLookup(
            new SessionDetail(
                session.Id,
                session.Incident,
                response.Mode,
                response.State,
                response.Media.Viewers,
                session.CreatedAt,
                session.CreatedBy,
                session.EndedAt,
                trailLines,
                chatLines,
                auditLines,
                shareLines,
                SessionAccess.MayShare(viewer, session)),
            null);
    }

    public async Task<IReadOnlyList<OfficerChoice>> ListOfficersAsync(CancellationToken cancellationToken = default)
    {
        var officers = new List<OfficerChoice>();
        foreach (RelayUser user in await users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!user.Disabled && user.IsInRole(UserRoles.Officer) && !user.IsInRole(UserRoles.Supervisor))
            {
                officers.Add(new OfficerChoice(user.Name, user.DisplayName));
            }
        }

        return officers;
    }

    public Task<ShareChange> ShareAsync(string sessionId, string officer, string reason, ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ChangeAsync(user, viewer => sharing.ShareAsync(viewer, sessionId, officer, reason, cancellationToken), cancellationToken);

    public Task<ShareChange> UnshareAsync(string sessionId, string officer, string reason, ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ChangeAsync(user, viewer => sharing.UnshareAsync(viewer, sessionId, officer, reason, cancellationToken), cancellationToken);

    private async Task<ShareChange> ChangeAsync(ClaimsPrincipal user, Func<SessionViewer, Task<SharingOutcome>> change, CancellationToken cancellationToken)
    {
        if (await ViewerAsync(user, cancellationToken).ConfigureAwait(false) is not { } viewer)
        {
            return new ShareChange(false, "Your account is no longer enabled. Sign in again, or ask an engineer.");
        }

        SharingOutcome outcome = await change(viewer).ConfigureAwait(false);
        return new ShareChange(outcome.Result == SharingResult.Done, outcome.Message);
    }

    /// <summary>The person as the user directory holds them now; null when they are gone or disabled.</summary>
    private async Task<SessionViewer?> ViewerAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.Identity.Name is not { Length: > 0 } name)
        {
            return null;
        }

        RelayUser? current = await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
        return current is null || current.Disabled ? null : SessionViewer.Person(current.Name, current.Roles);
    }

    private long? BitsPerSecond(string sessionId)
    {
        if (streams.Find(sessionId) is not { } stream)
        {
            return null;
        }

        long bytes = stream.Media.Counters.RtpBytesIn;
        DateTimeOffset now = time.GetUtcNow();
        RateSample sample = _rates.GetOrAdd(sessionId, static (_, state) => new RateSample(state.bytes, state.now, null), (bytes, now));
        TimeSpan elapsed = now - sample.At;
        if (elapsed < s_rateWindow)
        {
            return sample.BitsPerSecond;
        }

        long rate = (long)((bytes - sample.Bytes) * 8 / elapsed.TotalSeconds);
        _rates[sessionId] = new RateSample(bytes, now, rate);
        return rate;
    }

    private void ForgetEnded(List<CallSession> open)
    {
        if (_rates.Count <= open.Count)
        {
            return;
        }

        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (CallSession session in open)
        {
            keep.Add(session.Id);
        }

        foreach (string id in _rates.Keys)
        {
            if (!keep.Contains(id))
            {
                _rates.TryRemove(id, out _);
            }
        }
    }

    private static LocationSummary? Summary(LocationFix? fix) =>
        fix is null ? null : new LocationSummary(fix.Latitude, fix.Longitude, fix.Accuracy, fix.Time, fix.GridReference);

    private static string Describe(AuditRecord row)
    {
        var text = new StringBuilder();
        if (row.Reason is { Length: > 0 } reason)
        {
            text.Append("reason: ").Append(reason);
        }

        foreach (KeyValuePair<string, string> detail in row.Details)
        {
            text.Append(text.Length > 0 ? "; " : "").Append(CultureInfo.InvariantCulture, $"{detail.Key}={detail.Value}");
        }

        return text.ToString();
    }

    private sealed record RateSample(long Bytes, DateTimeOffset At, long? BitsPerSecond);
}
