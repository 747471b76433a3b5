namespace Relay.Control.Evidence;

/// <summary>What to look for (<see cref="IEvidenceSearch.SearchAsync"/>); every field given must match.</summary>
public sealed record EvidenceSearch
{
    public const int MaxLimit = 500;

    /// <summary>The incident reference, exactly.</summary>
    public string? Incident { get; init; }

    /// <summary>The caller's number (E.164), exactly.</summary>
    public string? Phone { get; init; }

    /// <summary>The officer that created the session, exactly.</summary>
    public string? Officer { get; init; }

    /// <summary>Items created at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Items created before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>At most this many items, newest first (1 to <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = 100;
}
