namespace Relay.Control.Sessions;

/// <summary>
/// One request to a member of the public to share video or location, as kept in the database.
/// Neither the caller's link token nor the caller key is kept: only their SHA-256 hashes.
/// </summary>
public sealed record CallSession
{
    public required string Id { get; init; }

    /// <summary>The force's incident reference.</summary>
    public required string Incident { get; init; }

    /// <summary>The caller's number in E.164.</summary>
    public required string Phone { get; init; }

    public required SessionMode Mode { get; init; }

    /// <summary>Whether the caller is asked for sound with the video.</summary>
    public bool Audio { get; init; }

    /// <summary>The retention category the recording is kept under.</summary>
    public required string Retention { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The officer (API key name or user) that created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Whether <see cref="CreatedBy"/> names a user or an API key.</summary>
    public SessionCreatorKind CreatedByKind { get; init; } = SessionCreatorKind.User;

    public required byte[] CallerTokenHash { get; init; }

    public required DateTimeOffset CallerTokenExpiresAt { get; init; }

    /// <summary>When the caller pressed Start and so used the link up; null before.</summary>
    public DateTimeOffset? CallerTokenSpentAt { get; init; }

    /// <summary>The hash of the key minted at Start, which binds the session to the caller's device; null before Start.</summary>
    public byte[]? CallerKeyHash { get; init; }

    public SessionState State { get; init; } = SessionState.Waiting;

    /// <summary>When it went live (the caller's Start, or the first publish with an API key).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Who ended it: the officer's name, or "caller".</summary>
    public string? EndedBy { get; init; }

    public SessionSms Sms { get; init; } = SessionSms.NotConfigured;
}
