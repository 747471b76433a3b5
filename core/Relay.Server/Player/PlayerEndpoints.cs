using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Relay.Control.Sessions;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;
using Relay.Server.Sessions;
using Relay.Server.Sessions.Sharing;

namespace Relay.Server.Player;

/// <summary>
/// <c>GET /player/{id}</c>: the officer's player for one session (video, map, location, chat),
/// embeddable by the systems <see cref="PlayerOptions.FrameAncestors"/> names and nobody else.
/// The page's settings (the map's tiles) go into a meta element; its scripts and styles are static
/// files under <c>/player/assets/</c> (a path of three segments, so <c>/player/{id}</c> never takes them).
/// </summary>
internal static class PlayerEndpoints
{
    public const string ConfigPlaceholder = "{{relay-config}}";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/player/{id}", PlayerAsync).RequireApiKey(ApiKeyRoles.Officer);
    }

    private static async Task<IResult> PlayerAsync(
        string id,
        HttpContext http,
        ISessionStore store,
        AuditTrail audit,
        IWebHostEnvironment environment,
        IOptions<PlayerOptions> player,
        IOptions<MapOptions> map,
        SessionGate gate)
    {
        if (await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } session)
        {
            return SessionEndpoints.NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        IFileInfo file = environment.WebRootFileProvider.GetFileInfo("player/index.html");
        if (!file.Exists)
        {
            return Problems.Create(StatusCodes.Status500InternalServerError, "Player missing", "The player page (wwwroot/player/index.html) is not installed with this relay.");
        }

        // Evidence access: the player shows the live video, location and chat, so it opens only once recorded (AuditTrail remarks).
        if (!await audit.ViewAsync(http, id, "player").ConfigureAwait(false))
        {
            return AuditTrail.NotRecorded();
        }

        string html;
        using (Stream stream = file.CreateReadStream())
        using (var reader = new StreamReader(stream))
        {
            html = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        }

        MapOptions tiles = map.Value;
        string config = JsonSerializer.Serialize(new PlayerConfig(id, tiles.TileUrl, tiles.Attribution, tiles.MaxZoom), JsonSerializerOptions.Web);
        html = html.Replace(ConfigPlaceholder, HtmlEncoder.Default.Encode(config), StringComparison.Ordinal);

        IHeaderDictionary headers = http.Response.Headers;
        headers.ContentSecurityPolicy = FrameAncestors(player.Value);
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    internal static string FrameAncestors(PlayerOptions options)
    {
        string[] sources = options.FrameAncestors is { Length: > 0 } configured ? configured : ["'self'"];
        return "frame-ancestors " + string.Join(' ', sources);
    }

    private sealed record PlayerConfig(string SessionId, string? TileUrl, string? Attribution, int MaxZoom);
}
