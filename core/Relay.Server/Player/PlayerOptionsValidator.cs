using Microsoft.Extensions.Options;

namespace Relay.Server.Player;

internal sealed class PlayerOptionsValidator : IValidateOptions<PlayerOptions>, IValidateOptions<MapOptions>
{
    private static readonly System.Buffers.SearchValues<char> s_forbidden = System.Buffers.SearchValues.Create(" ;,'\"\r\n\t");

    public ValidateOptionsResult Validate(string? name, PlayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (string source in options.FrameAncestors ?? [])
        {
            if (!IsSource(source))
            {
                failures.Add($"{PlayerOptions.SectionName}:FrameAncestors has '{source}'; give origins such as https://cad.force.example (or 'self').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, MapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.TileUrl is { Length: > 0 } url
            && (!url.Contains("{z}", StringComparison.Ordinal) || !url.Contains("{x}", StringComparison.Ordinal) || !url.Contains("{y}", StringComparison.Ordinal)
                || !(url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith('/'))))
        {
            failures.Add($"{MapOptions.SectionName}:TileUrl '{url}' is not a tile URL template with {{z}}, {{x}} and {{y}}, such as https://tiles.example/{{z}}/{{x}}/{{y}}.png");
        }

        if (options.MaxZoom is < 1 or > 24)
        {
            failures.Add($"{MapOptions.SectionName}:MaxZoom is {options.MaxZoom}; give 1 to 24.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // A CSP host source: 'self', or scheme://host[:port] with an optional leading wildcard label, and nothing that could end the directive.
    internal static bool IsSource(string source)
    {
        if (source == "'self'")
        {
            return true;
        }

        if (source.AsSpan().IndexOfAny(s_forbidden) >= 0)
        {
            return false;
        }

        string host = source.Replace("://*.", "://wildcard.", StringComparison.Ordinal);
        return Uri.TryCreate(host, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && !source.EndsWith('/');
    }
}
