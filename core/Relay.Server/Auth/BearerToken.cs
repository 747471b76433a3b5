using System.Diagnostics.CodeAnalysis;
using Microsoft.Net.Http.Headers;

namespace Relay.Server.Auth;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c> (RFC 6750 section 2.1).</summary>
internal static class BearerToken
{
    /// <summary>Longer than any key or caller token; a longer header is refused before hashing.</summary>
    public const int MaxLength = 512;

    public static bool TryRead(HttpRequest request, [NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        token = null;
        string? header = request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header))
        {
            problem = "No credentials were sent. Send the key as the header 'Authorization: Bearer <key>'.";
            return false;
        }

        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            problem = "Only Bearer credentials are accepted. Send the key as the header 'Authorization: Bearer <key>'.";
            return false;
        }

        string value = header[Scheme.Length..].Trim();
        if (value.Length == 0 || value.Length > MaxLength)
        {
            problem = value.Length == 0
                ? "The Authorization header has no token after 'Bearer'. Send 'Authorization: Bearer <key>'."
                : $"The bearer token is longer than {MaxLength} characters, so it is not one this relay issued.";
            return false;
        }

        token = value;
        problem = null;
        return true;
    }
}
