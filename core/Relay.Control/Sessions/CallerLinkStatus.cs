namespace Relay.Control.Sessions;

/// <summary>What a caller's link token is worth now.</summary>
public enum CallerLinkStatus
{
    /// <summary>Unspent and unexpired; the session is waiting for the caller's Start.</summary>
    Valid,

    /// <summary>No session has this token (mistyped, truncated, or guessed).</summary>
    Unknown,

    /// <summary>The link's time ran out before the caller pressed Start.</summary>
    Expired,

    /// <summary>The caller already pressed Start with this link (on this or another device).</summary>
    Spent,

    /// <summary>An officer ended the session before the caller started.</summary>
    Ended,

    /// <summary>Too many failed guesses from this client address; nothing was checked.</summary>
    Limited,
}
