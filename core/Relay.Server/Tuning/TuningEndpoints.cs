using System.Text.Json;
using Relay.Portal.Node;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Tuning;

/// <summary>
/// <c>/api/tuning</c>: engineers read the settings that can be changed in operation and change one
/// (<c>PUT /api/tuning/{key}</c> with <c>{"value", "reason"}</c>, or <c>{"reset": true, "reason"}</c>
/// to go back to the configured value). A refused value is a 400 problem naming the setting and the rule.
/// </summary>
internal static class TuningEndpoints
{
    public const int MaxBodyBytes = 8 * 1024;

    private const string Shape = "{\"value\": \"00:10:00\", \"reason\": \"why\"} or {\"reset\": true, \"reason\": \"why\"}";

    public static void Map(IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/tuning").RequireRole(RelayRoles.Engineer);
        group.MapGet("", ListAsync);
        group.MapPut("/{key}", ChangeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, LiveTuning tuning)
    {
        IReadOnlyList<TuningSetting> settings = await tuning.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var list = new List<TuningSettingResponse>(settings.Count);
        foreach (TuningSetting setting in settings)
        {
            list.Add(TuningSettingResponse.From(setting));
        }

        return TypedResults.Ok(list);
    }

    private static async Task<IResult> ChangeAsync(string key, HttpContext http, LiveTuning tuning)
    {
        (ChangeRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<ChangeRequest>(http, MaxBodyBytes, "A tuning change", Shape).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        string? value;
        switch (request.Value.ValueKind)
        {
            case JsonValueKind.String:
                value = request.Value.GetString();
                break;
            case JsonValueKind.Number:
                value = request.Value.GetRawText();
                break;
            case JsonValueKind.Undefined or JsonValueKind.Null when request.Reset == true:
                value = null;
                break;
            default:
                return Problems.Validation(
                    $"Give the new value of {key} as \"value\" (a string, or a number), or \"reset\": true to go back to the configured value: {Shape}.",
                    new Dictionary<string, string[]> { ["value"] = ["Give \"value\" or \"reset\": true."] });
        }

        if (value is not null && request.Reset == true)
        {
            return Problems.Validation("Give either \"value\" or \"reset\": true, not both.", new Dictionary<string, string[]> { ["value"] = ["Give either \"value\" or \"reset\": true, not both."] });
        }

        TuningOutcome outcome = await tuning.ChangeAsync(key, value, request.Reason, AuditTrail.ActorOf(http), http.RequestAborted).ConfigureAwait(false);
        return outcome.Kind switch
        {
            TuningOutcomeKind.Changed => TypedResults.Ok(new ChangeResponse(outcome.Message, TuningSettingResponse.From(outcome.Setting!))),
            TuningOutcomeKind.UnknownSetting => Problems.NotFound(outcome.Message),
            TuningOutcomeKind.SetByEnvironment => Problems.Create(StatusCodes.Status409Conflict, "Set by the environment", outcome.Message),
            _ => Problems.Validation(outcome.Message, new Dictionary<string, string[]> { [outcome.Field == "reason" ? "reason" : key] = [outcome.Message] }),
        };
    }

    private sealed class ChangeRequest
    {
        public JsonElement Value { get; set; }

        public bool? Reset { get; set; }

        public string? Reason { get; set; }
    }

    private sealed record ChangeResponse(string Message, TuningSettingResponse Setting);
}
