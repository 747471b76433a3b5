using Relay.Portal.Node;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Portal;

/// <summary>
/// <c>/api/plugins</c>: engineers read every loaded plugin's settings (a secret one only as set or not set) and
/// change one (<c>PUT /api/plugins/{name}/settings/{key}</c> with <c>{"value", "reason"}</c>). A refused value is a
/// 400 problem naming the setting and what the plugin said; no response ever holds a secret's value.
/// </summary>
internal static class PluginSettingsEndpoints
{
    public const int MaxBodyBytes = 8 * 1024;

    private const string Shape = "{\"value\": \"+447700900000\", \"reason\": \"why\"}";

    public static void Map(IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/plugins").RequireRole(RelayRoles.Engineer);
        group.MapGet("", ListAsync);
        group.MapPut("/{name}/settings/{key}", ChangeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IPortalPluginSettings settings) =>
        TypedResults.Ok(await settings.ListAsync(http.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> ChangeAsync(string name, string key, HttpContext http, IPortalPluginSettings settings)
    {
        // The parser's own message could quote the body, and so a secret: describe the shape instead.
        (ChangeRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<ChangeRequest>(http, MaxBodyBytes, "A plugin setting change", Shape, describeParserError: false).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        PluginSettingOutcome outcome = await settings.ChangeAsync(name, key, request.Value, request.Reason, AuditTrail.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return outcome.Result switch
        {
            PluginSettingResult.Changed => TypedResults.Ok(new ChangeResponse(outcome.Message, outcome.Setting!)),
            PluginSettingResult.UnknownPlugin or PluginSettingResult.UnknownSetting => Problems.NotFound(outcome.Message),
            PluginSettingResult.NotEditable => Problems.Create(StatusCodes.Status409Conflict, "Not changed here", outcome.Message),
            _ => Problems.Validation(outcome.Message, new Dictionary<string, string[]> { [outcome.Field == "reason" ? "reason" : key] = [outcome.Message] }),
        };
    }

    private sealed class ChangeRequest
    {
        public string? Value { get; set; }

        public string? Reason { get; set; }
    }

    private sealed record ChangeResponse(string Message, PluginSettingValue Setting);
}
