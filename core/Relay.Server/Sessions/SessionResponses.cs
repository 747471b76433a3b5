using Relay.Control.Location;
using Relay.Control.Sessions;

namespace Relay.Server.Sessions;

/// <summary>The answer to <c>POST /api/sessions</c>: the link to send the caller, when it stops working, and what became of the SMS.</summary>
internal sealed record CreatedSessionResponse(string Id, string Link, DateTimeOffset ExpiresAt, SmsResponse Sms);

/// <summary>The session's SMS: "not-configured" | "queued" | "sent" | "delivered" | "failed" | "unknown", and why it failed.</summary>
internal sealed record SmsResponse(string State, string? Error)
{
    public static SmsResponse From(SessionSms sms)
    {
        ArgumentNullException.ThrowIfNull(sms);
        return new SmsResponse(SessionSms.ToText(sms.State), sms.Error);
    }
}

/// <summary>A session as officers see it.</summary>
internal sealed record SessionResponse(
    string Id,
    string Incident,
    string Phone,
    string Mode,
    bool Audio,
    string Retention,
    string State,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset LinkExpiresAt,
    bool LinkUsed,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    SmsResponse Sms,
    SessionMediaResponse Media,
    LastLocationResponse? LastLocation)
{
    public static SessionResponse From(CallSession session, SessionMediaResponse media, LocationFix? lastLocation)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(media);
        return new SessionResponse(
            session.Id,
            session.Incident,
            session.Phone,
            session.Mode == SessionMode.Video ? "video" : "location",
            session.Audio,
            session.Retention,
            StateText(session, media),
            session.CreatedAt,
            session.CreatedBy,
            session.CallerTokenExpiresAt,
            session.CallerTokenSpentAt is not null,
            session.StartedAt,
            session.EndedAt,
            session.EndedBy,
            SmsResponse.From(session.Sms),
            media,
            LastLocationResponse.From(lastLocation));
    }

    // A live session whose publisher dropped and may come back within the grace period is "reconnecting".
    private static string StateText(CallSession session, SessionMediaResponse media) => session.State switch
    {
        SessionState.Waiting => "waiting",
        SessionState.Live when media.Stream == "reconnecting" => "reconnecting",
        SessionState.Live => "live",
        _ => "ended",
    };
}

/// <summary>The live media of a session: whether the caller is publishing, and how many viewers watch.</summary>
internal sealed record SessionMediaResponse(string Stream, int Viewers)
{
    public static SessionMediaResponse None { get; } = new("none", 0);
}

/// <summary>
/// The caller's newest position: WGS84 degrees, accuracy in metres, heading in degrees from true
/// north, speed in metres per second, when the phone took it, and its British National Grid
/// easting, northing and reference (null off the grid).
/// </summary>
internal sealed record LastLocationResponse(
    double Lat,
    double Lon,
    double Accuracy,
    double? Heading,
    double? Speed,
    DateTimeOffset Time,
    double? Easting,
    double? Northing,
    string? GridReference)
{
    public static LastLocationResponse? From(LocationFix? fix)
    {
        if (fix is null)
        {
            return null;
        }

        bool onGrid = fix.Grid.IsOnGrid;
        return new LastLocationResponse(
            fix.Latitude,
            fix.Longitude,
            fix.Accuracy,
            fix.Heading,
            fix.Speed,
            fix.Time,
            onGrid ? fix.Grid.Easting : null,
            onGrid ? fix.Grid.Northing : null,
            fix.GridReference);
    }
}
