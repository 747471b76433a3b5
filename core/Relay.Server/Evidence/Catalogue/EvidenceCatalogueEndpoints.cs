using System.Globalization;
using System.Text.Json;
using Relay.Control.Audit;
using Relay.Control.Evidence;
using Relay.Control.Evidence.Retention;
using Relay.Control.Sessions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>
/// <c>/api/evidence</c> (search, one item, reviews, legal hold) for evidence managers, and
/// <c>/api/retention/categories</c> (read by anyone who creates sessions; changed by engineers and
/// evidence managers). Every change is audited by the catalogue with the change; reading an item or
/// searching is audited here as a view before the answer is given.
/// </summary>
internal static class EvidenceCatalogueEndpoints
{
    /// <summary>A review or hold is a few short fields and a reason.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder evidence = routes.MapGroup("/api/evidence").RequireRole(RelayRoles.EvidenceManager);
        evidence.MapGet("", SearchAsync);
        evidence.MapGet("/{id}", GetAsync);
        evidence.MapPost("/{id}/reviews", ReviewAsync);
        evidence.MapPut("/{id}/hold", PlaceHoldAsync);
        evidence.MapDelete("/{id}/hold", LiftHoldAsync);

        RouteGroupBuilder categories = routes.MapGroup("/api/retention/categories");
        categories.MapGet("", ListCategoriesAsync).RequireRole(RelayRoles.Officer, RelayRoles.EvidenceManager, RelayRoles.Engineer);
        categories.MapPut("/{id}", PutCategoryAsync).RequireRole(RelayRoles.EvidenceManager, RelayRoles.Engineer);
    }

    private static async Task<IResult> SearchAsync(HttpContext http, IEvidenceSearch catalogue, IAuditLog audit)
    {
        IQueryCollection query = http.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? incident = Text(query, "incident", 64, errors);
        string? phone = Text(query, "phone", 32, errors);
        string? officer = Text(query, "officer", 256, errors);
        if (phone is not null && !PhoneNumber.TryParse(phone, out _))
        {
            errors["phone"] = ["Give the caller's number in E.164 form, e.g. +447700900123 (in a URL, '+' is written %2B)."];
        }

        DateTimeOffset? from = Time(query, "from", errors);
        DateTimeOffset? to = Time(query, "to", errors);
        int limit = 100;
        if (query.TryGetValue("limit", out Microsoft.Extensions.Primitives.StringValues limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > EvidenceSearch.MaxLimit))
        {
            errors["limit"] = [$"limit is a whole number from 1 to {EvidenceSearch.MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(string.Join(" ", errors.Values.SelectMany(static v => v)), errors);
        }

        var search = new EvidenceSearch { Incident = incident, Phone = phone, Officer = officer, From = from, To = to, Limit = limit };
        if (!await EvidenceViewAudit.TryAppendAsync(audit, EvidenceViewAudit.Search(AuditTrail.ActorOf(http), search)).ConfigureAwait(false))
        {
            return AuditTrail.NotRecorded();
        }

        IReadOnlyList<EvidenceItem> items = await catalogue.SearchAsync(search, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(items.Select(static i => EvidenceItemResponse.From(i)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IEvidenceCatalogue catalogue, IEvidenceRetention retention, IAuditLog audit)
    {
        EvidenceItem? item = await catalogue.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (item is null)
        {
            return NoItem(id);
        }

        if (!await EvidenceViewAudit.TryAppendAsync(audit, EvidenceViewAudit.Record(AuditTrail.ActorOf(http), item.Id)).ConfigureAwait(false))
        {
            return AuditTrail.NotRecorded();
        }

        IReadOnlyList<EvidenceReviewRecord> reviews = await retention.ListReviewsAsync(item.Id, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(EvidenceItemResponse.From(item, reviews));
    }

    private static async Task<IResult> ReviewAsync(string id, HttpContext http, IEvidenceRetention retention)
    {
        const string Shape = "{\"decision\": \"retain\"|\"dispose\"|\"recategorise\", \"reason\", \"category\"?, \"nextReviewAt\"?}";
        (ReviewRequest? request, IResult? refusal) = await JsonRequestBody.ReadAsync<ReviewRequest>(http, MaxBodyBytes, "The request", Shape).ConfigureAwait(false);
        if (request is null)
        {
            return refusal!;
        }

        EvidenceDecision? decision = request.Decision switch
        {
            "retain" => EvidenceDecision.Retain,
            "dispose" => EvidenceDecision.Dispose,
            "recategorise" or "recategorize" => EvidenceDecision.Recategorise,
            _ => null,
        };
        if (decision is null)
        {
            return Invalid("decision", request.Decision is null
                ? "Give the decision: \"retain\", \"dispose\" or \"recategorise\"."
                : $"'{EvidenceInput.Shorten(request.Decision)}' is not a decision; use \"retain\", \"dispose\" or \"recategorise\".");
        }

        return await ChangeAsync(() => retention.ReviewAsync(
            new EvidenceReview(id, decision.Value, request.Reason ?? "", AuditTrail.ActorOf(http), request.NextReviewAt, request.Category),
            http.RequestAborted)).ConfigureAwait(false);
    }

    private static async Task<IResult> PlaceHoldAsync(string id, HttpContext http, IEvidenceRetention retention)
    {
        (HoldRequest? request, IResult? refusal) = await JsonRequestBody.ReadAsync<HoldRequest>(http, MaxBodyBytes, "The request", "{\"reason\"}").ConfigureAwait(false);
        if (request is null)
        {
            return refusal!;
        }

        try
        {
            return await ChangeAsync(() => retention.PlaceLegalHoldAsync(id, AuditTrail.ActorOf(http), request.Reason ?? "", http.RequestAborted)).ConfigureAwait(false);
        }
        catch (EvidenceStoreException e)
        {
            return Problems.Create(
                StatusCodes.Status503ServiceUnavailable,
                "Evidence store unavailable",
                $"The evidence store could not place the hold ({e.Message}); nothing was changed. Try again; if it keeps failing, tell the relay's operator.");
        }
    }

    private static async Task<IResult> LiftHoldAsync(string id, HttpContext http, IEvidenceRetention retention)
    {
        (HoldRequest? request, IResult? refusal) = await JsonRequestBody.ReadAsync<HoldRequest>(http, MaxBodyBytes, "The request", "{\"reason\"}").ConfigureAwait(false);
        if (request is null)
        {
            return refusal!;
        }

        try
        {
            return await ChangeAsync(() => retention.LiftLegalHoldAsync(id, AuditTrail.ActorOf(http), request.Reason ?? "", http.RequestAborted)).ConfigureAwait(false);
        }
        catch (EvidenceStoreException e)
        {
            return Problems.Create(
                StatusCodes.Status502BadGateway,
                "Evidence store not updated",
                $"The hold is lifted in the catalogue (and audited), but the evidence store still holds the recordings ({e.Message}). Its objects cannot be disposed of until the store's hold is lifted there.");
        }
    }

    private static async Task<IResult> ListCategoriesAsync(HttpContext http, IRetentionCategories categories)
    {
        IReadOnlyList<RetentionCategory> list = await categories.ListAsync(http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(CategoryResponse.From).ToList());
    }

    private static async Task<IResult> PutCategoryAsync(string id, HttpContext http, IRetentionCategories categories)
    {
        const string Shape = "{\"name\", \"reviewPeriod\": \"P6Y\", \"disposal\": \"review\"|\"dispose\", \"default\"?, \"reason\"}";
        (CategoryRequest? request, IResult? refusal) = await JsonRequestBody.ReadAsync<CategoryRequest>(http, MaxBodyBytes, "The request", Shape).ConfigureAwait(false);
        if (request is null)
        {
            return refusal!;
        }

        if (!RetentionPeriod.TryParse(request.ReviewPeriod, out RetentionPeriod period))
        {
            return Invalid("reviewPeriod", $"Give the review period as P{{n}}Y, P{{n}}M or P{{n}}D (e.g. \"P6Y\" for six years), at most {RetentionPeriod.MaxYears} years.");
        }

        RetentionDisposal? disposal = request.Disposal switch
        {
            "review" => RetentionDisposal.Review,
            "dispose" => RetentionDisposal.Dispose,
            _ => null,
        };
        if (disposal is null)
        {
            return Invalid("disposal", "Give the disposal rule: \"review\" (a person decides at the review date) or \"dispose\" (disposed of at the review date unless held or retained).");
        }

        RetentionCategory? existing = await categories.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        var category = new RetentionCategory(id, request.Name ?? "", period, disposal.Value, request.Default ?? existing?.IsDefault ?? false);
        try
        {
            RetentionCategory stored = await categories.PutAsync(category, AuditTrail.ActorOf(http), request.Reason ?? "", http.RequestAborted).ConfigureAwait(false);
            return TypedResults.Ok(CategoryResponse.From(stored));
        }
        catch (EvidenceCatalogueException e)
        {
            return Refused(e);
        }
    }

    private static async Task<IResult> ChangeAsync(Func<Task<EvidenceItem>> change)
    {
        try
        {
            return TypedResults.Ok(EvidenceItemResponse.From(await change().ConfigureAwait(false)));
        }
        catch (EvidenceCatalogueException e)
        {
            return Refused(e);
        }
    }

    private static IResult Refused(EvidenceCatalogueException e) => e.Error switch
    {
        EvidenceCatalogueError.NotFound => Problems.NotFound(e.Message),
        EvidenceCatalogueError.Conflict => Problems.Create(StatusCodes.Status409Conflict, "Not possible now", e.Message),
        _ => e.Field is { } field ? Invalid(field, e.Message) : Problems.BadRequest(e.Message),
    };

    private static IResult Invalid(string field, string message) =>
        Problems.Validation(message, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static IResult NoItem(string id) =>
        Problems.NotFound($"There is no evidence item '{EvidenceInput.Shorten(id)}': it was never recorded, or it has been disposed of. Search with GET /api/evidence.");

    private static string? Text(IQueryCollection query, string name, int maxLength, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) || string.IsNullOrEmpty(values.ToString()))
        {
            return null;
        }

        string value = values.ToString();
        if (values.Count > 1 || value.Length > maxLength)
        {
            errors[name] = [$"{name} is one value of at most {maxLength} characters."];
            return null;
        }

        return value;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        string? text = Text(query, name, 64, errors);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
        {
            return time;
        }

        errors[name] = [$"{name} is a date and time in ISO 8601 form, e.g. 2026-12-01T09:00:00Z."];
        return null;
    }
}
