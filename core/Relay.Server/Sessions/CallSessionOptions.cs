namespace Relay.Server.Sessions;

/// <summary>Caller links and tokens (<c>Relay:Sessions</c>).</summary>
internal sealed class CallSessionOptions
{
    public const string SectionName = "Relay:Sessions";

    /// <summary>How long a caller's link works; 30 minutes by default.</summary>
    public TimeSpan CallerTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The public base of caller links, e.g. <c>https://relay.force.example</c>; the link is
    /// <c>{LinkBaseUrl}/c/{token}</c>. Unset: the scheme and host the request came to.
    /// </summary>
    public string? LinkBaseUrl { get; set; }

    /// <summary>No longer used: retention categories are data in the database (<c>/api/retention/categories</c>); setting it stops the relay with that message.</summary>
    public string[] RetentionCategories { get; set; } = [];
}
