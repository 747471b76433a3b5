namespace Relay.Portal.Node;

/// <summary>
/// The sessions as the portal needs them, provided by the relay host: the open ones with their live
/// state, and creating one exactly as <c>POST /api/sessions</c> does (same checks, SMS and audit).
/// </summary>
public interface IPortalSessions
{
    /// <summary>The retention categories a new session may be kept under (the force's, from the evidence catalogue).</summary>
    Task<IReadOnlyList<RetentionChoice>> ListRetentionCategoriesAsync(CancellationToken cancellationToken = default);

    /// <summary>Sessions not ended, newest first, with viewers and the last location fix.</summary>
    Task<IReadOnlyList<LiveSession>> ListOpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the session and sends its link by SMS; <paramref name="officer"/> is the signed-in person.</summary>
    Task<NewSessionOutcome> CreateAsync(NewSessionRequest request, string officer, string linkBaseUrl, CancellationToken cancellationToken = default);

    /// <summary>Ends the session for everyone, as <c>DELETE /api/sessions/{id}</c> does (audited with <paramref name="actor"/>); false when it had already ended or is unknown.</summary>
    Task<bool> EndAsync(string sessionId, string actor, CancellationToken cancellationToken = default);

    /// <summary>The session's SMS delivery status, asking the provider when the message is on its way; null for an unknown session.</summary>
    Task<SmsStatus?> RefreshSmsAsync(string sessionId, CancellationToken cancellationToken = default);
}

/// <summary>An open session as the Live page shows it.</summary>
/// <param name="State">"waiting", "live", "reconnecting".</param>
/// <param name="Stream">The media: "none", "live", "reconnecting".</param>
public sealed record LiveSession(
    string Id,
    string Incident,
    string Mode,
    string State,
    string Stream,
    int Viewers,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    LocationSummary? LastFix);

/// <summary>The caller's newest position: WGS84 degrees, accuracy in metres, when the phone took it, and its grid reference.</summary>
public sealed record LocationSummary(double Latitude, double Longitude, double Accuracy, DateTimeOffset Time, string? GridReference);

/// <summary>A retention category: its id (what a session names), its name for people, and whether it is the default.</summary>
public sealed record RetentionChoice(string Id, string Name, bool IsDefault);

/// <summary>What the New session form sends.</summary>
/// <param name="Mode">"video" or "location".</param>
public sealed record NewSessionRequest(string Incident, string Phone, string Mode, bool Audio, string? Retention);

/// <summary>
/// The outcome of creating a session: the session (id, link, expiry, SMS), or the field errors, or
/// a refusal (an SMS limit) in words the officer can act on.
/// </summary>
public sealed record NewSessionOutcome(
    string? Id,
    string? Link,
    DateTimeOffset? ExpiresAt,
    SmsStatus? Sms,
    IReadOnlyDictionary<string, string[]> Errors,
    string? Refusal)
{
    public bool Created => Id is not null;
}

/// <summary>An SMS's state ("not-configured", "queued", "sent", "delivered", "failed", "unknown") and why it failed.</summary>
public sealed record SmsStatus(string State, string? Error);
