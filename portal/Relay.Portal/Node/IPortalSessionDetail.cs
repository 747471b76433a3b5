using System.Security.Claims;

namespace Relay.Portal.Node;

/// <summary>
/// The Live page and a session's detail page, provided by the relay host. Every call takes the
/// signed-in person and applies the relay's session access rule with their roles as the user
/// directory holds them now (a page's circuit keeps the sign-in it started with): an officer gets
/// only the sessions they created or that are shared with them, a supervisor every session.
/// </summary>
public interface IPortalSessionDetail
{
    /// <summary>The map's tiles (<c>Relay:Map</c>), as the player uses them.</summary>
    MapTiles Map { get; }

    /// <summary>The open sessions <paramref name="user"/> may see, newest first, with viewers, bitrate and the last fix.</summary>
    Task<IReadOnlyList<LiveSessionRow>> ListLiveAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>The session, its trail, chat, audit and shares; <see cref="SessionDetailLookup.Detail"/> is null when it is unknown or not shared with <paramref name="user"/>.</summary>
    Task<SessionDetailLookup> FindAsync(string sessionId, ClaimsPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>Enabled officers (sign-in and display name) a session could be shared with.</summary>
    Task<IReadOnlyList<OfficerChoice>> ListOfficersAsync(CancellationToken cancellationToken = default);

    /// <summary>Shares the session with <paramref name="officer"/>, as <c>POST /api/sessions/{id}/shares</c> does (same checks, audited with <paramref name="reason"/>).</summary>
    Task<ShareChange> ShareAsync(string sessionId, string officer, string reason, ClaimsPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>Stops sharing the session with <paramref name="officer"/>, as <c>DELETE /api/sessions/{id}/shares/{officer}</c> does.</summary>
    Task<ShareChange> UnshareAsync(string sessionId, string officer, string reason, ClaimsPrincipal user, CancellationToken cancellationToken = default);
}

/// <summary>A Leaflet tile URL template (null: no tiles, a plain background), its attribution and the deepest zoom.</summary>
public sealed record MapTiles(string? TileUrl, string? Attribution, int MaxZoom);

/// <summary>An open session as the Live page's table and map show it.</summary>
/// <param name="State">"waiting", "live", "reconnecting".</param>
/// <param name="BitsPerSecond">The caller's media received over the last seconds; null before any media.</param>
public sealed record LiveSessionRow(
    string Id,
    string Incident,
    string Mode,
    string State,
    int Viewers,
    long? BitsPerSecond,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    LocationSummary? LastFix);

/// <summary>What a detail page asked for: the session, or why not (<see cref="Refusal"/>).</summary>
public sealed record SessionDetailLookup(SessionDetail? Detail, string? Refusal);

/// <summary>One session as its detail page shows it.</summary>
/// <param name="MayShare">Whether the person asking may share it and stop sharing it (a supervisor, or its creator).</param>
public sealed record SessionDetail(
    string Id,
    string Incident,
    string Mode,
    string State,
    int Viewers,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? EndedAt,
    IReadOnlyList<LocationSummary> Trail,
    IReadOnlyList<ChatLine> Chat,
    IReadOnlyList<AuditLine> Audit,
    IReadOnlyList<ShareLine> Shares,
    bool MayShare);

/// <summary>A chat message: "caller" or "officer", the officer's name, the text and when.</summary>
public sealed record ChatLine(string From, string? Author, string Text, DateTimeOffset Time);

/// <summary>An audit row about the session, its reason and details on one line.</summary>
public sealed record AuditLine(long Sequence, DateTimeOffset Time, string Actor, string Action, string Description);

/// <summary>An officer the session is shared with.</summary>
public sealed record ShareLine(string Officer, string SharedBy, DateTimeOffset SharedAt, string Reason);

/// <summary>An officer a session may be shared with.</summary>
public sealed record OfficerChoice(string Name, string DisplayName);

/// <summary>Whether a share or unshare was made, and what it means in words.</summary>
public sealed record ShareChange(bool Changed, string Message);
