namespace Relay.Server.Auth;

/// <summary>The API keys systems authenticate with (<c>Relay:ApiKeys</c>, a list).</summary>
internal sealed class ApiKeyOptions
{
    /// <summary>Bound from the <c>Relay</c> section, so the list is <c>Relay:ApiKeys:0:Name</c>, ...</summary>
    public const string SectionName = "Relay";

    public ApiKeyEntry[] ApiKeys { get; set; } = [];
}

/// <summary>One configured key.</summary>
internal sealed class ApiKeyEntry
{
    /// <summary>Who holds the key (a system's name); recorded as who created a session.</summary>
    public string? Name { get; set; }

    /// <summary>The key itself. Prefer <see cref="KeySha256"/>, so the configuration never holds it.</summary>
    public string? Key { get; set; }

    /// <summary>The SHA-256 of the key's UTF-8 bytes, 64 hex digits (<c>printf %s KEY | sha256sum</c>).</summary>
    public string? KeySha256 { get; set; }

    /// <summary>One of <see cref="ApiKeyRoles.All"/>.</summary>
    public string? Role { get; set; }
}
