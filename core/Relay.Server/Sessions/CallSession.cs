namespace Relay.Server.Sessions;

/// <summary>
/// One request to a member of the public to share video or location. The caller token itself is
/// never kept: only its SHA-256 hash, to recognise it when the caller presents it.
/// </summary>
internal sealed record CallSession
{
    public required string Id { get; init; }

    /// <summary>The force's incident reference.</summary>
    public required string Incident { get; init; }

    /// <summary>The caller's number in E.164.</summary>
    public required string Phone { get; init; }

    public required SessionMode Mode { get; init; }

    /// <summary>The retention category the recording is kept under.</summary>
    public required string Retention { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The name of the API key (or, later, the officer) that created it.</summary>
    public required string CreatedBy { get; init; }

    public required byte[] CallerTokenHash { get; init; }

    public required DateTimeOffset CallerTokenExpiresAt { get; init; }

    public SessionState State { get; init; } = SessionState.Waiting;

    /// <summary>When the caller first used the token (the caller's Start); null before.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}
