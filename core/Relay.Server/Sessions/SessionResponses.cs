namespace Relay.Server.Sessions;

/// <summary>The answer to <c>POST /api/sessions</c>: the link to send the caller, and when it stops working.</summary>
internal sealed record CreatedSessionResponse(string Id, string Link, DateTimeOffset ExpiresAt);

/// <summary>A session as officers see it.</summary>
internal sealed record SessionResponse(
    string Id,
    string Incident,
    string Phone,
    string Mode,
    string Retention,
    string State,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset LinkExpiresAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    SessionMediaResponse Media)
{
    public static SessionResponse From(CallSession session, SessionMediaResponse media)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new SessionResponse(
            session.Id,
            session.Incident,
            session.Phone,
            session.Mode == SessionMode.Video ? "video" : "location",
            session.Retention,
            session.State switch
            {
                SessionState.Waiting => "waiting",
                SessionState.Active => "active",
                _ => "ended",
            },
            session.CreatedAt,
            session.CreatedBy,
            session.CallerTokenExpiresAt,
            session.StartedAt,
            session.EndedAt,
            media);
    }
}

/// <summary>The live media of a session: whether the caller is publishing, and how many viewers watch.</summary>
internal sealed record SessionMediaResponse(string Stream, int Viewers)
{
    public static SessionMediaResponse None { get; } = new("none", 0);
}
