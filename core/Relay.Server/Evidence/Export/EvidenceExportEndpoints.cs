using System.Text.Json;
using System.Text.RegularExpressions;
using Relay.Control.Evidence;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Evidence.Export;

/// <summary>
/// <c>POST /api/evidence/{id}/export {reason, recipient?}</c>: the item's evidence bundle (a zip; audited
/// "export", and "disclosure" when a recipient is named). <c>POST /api/subject-access {phone, reason}</c>:
/// one bundle of everything held for that number across sessions (audited "subject-access" and a
/// "disclosure" per item). Both for evidence managers only.
/// </summary>
internal static partial class EvidenceExportEndpoints
{
    /// <summary>A request is a few short fields; anything larger is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public const int MaxReasonLength = 2000;

    public const int MaxRecipientLength = 200;

    public static IServiceCollection AddEvidenceExport(this IServiceCollection services)
    {
        services.AddSingleton<EvidenceRecordingReader>();
        services.AddSingleton<EvidenceBundleService>();
        return services;
    }

    public static IEndpointRouteBuilder MapEvidenceExport(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/evidence/{id}/export", ExportAsync).RequireRole(RelayRoles.EvidenceManager);
        routes.MapPost("/api/subject-access", SubjectAccessAsync).RequireRole(RelayRoles.EvidenceManager);
        return routes;
    }

    private static async Task<IResult> ExportAsync(string id, HttpContext http, EvidenceBundleService bundles)
    {
        (ExportRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<ExportRequest>(http, MaxBodyBytes, "The request", "{\"reason\", \"recipient\"?}").ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckReason(request!.Reason, errors);
        if (request.Recipient is not null && (string.IsNullOrWhiteSpace(request.Recipient) || request.Recipient.Length > MaxRecipientLength))
        {
            errors["recipient"] = [$"The recipient, when given, names who receives the bundle (1-{MaxRecipientLength} characters)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(string.Join(" ", errors.Values.SelectMany(static v => v)), errors);
        }

        if (CatalogueOf(http) is not { } catalogue)
        {
            return CatalogueMissing();
        }

        EvidenceItem? item = await catalogue.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (item is null)
        {
            return Problems.NotFound($"No evidence is held for item {id}: it never recorded, or was disposed of.");
        }

        Stream? bundle = await bundles.ExportAsync(AuditTrail.ActorOf(http), item, request.Reason!.Trim(), request.Recipient?.Trim(), http.RequestAborted).ConfigureAwait(false);
        return bundle is null
            ? AuditTrail.NotRecorded()
            : Results.File(bundle, "application/zip", $"evidence-{item.Id}.zip");
    }

    private static async Task<IResult> SubjectAccessAsync(HttpContext http, EvidenceBundleService bundles)
    {
        (SubjectAccessRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<SubjectAccessRequest>(http, MaxBodyBytes, "The request", "{\"phone\", \"reason\"}").ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request!.Phone is null || !E164().IsMatch(request.Phone))
        {
            errors["phone"] = ["The phone number must be in E.164 form, e.g. +447700900123."];
        }

        CheckReason(request.Reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(string.Join(" ", errors.Values.SelectMany(static v => v)), errors);
        }

        if (CatalogueOf(http) is not { } catalogue)
        {
            return CatalogueMissing();
        }

        IReadOnlyList<EvidenceItem> items = await catalogue.FindByPhoneAsync(request.Phone!, http.RequestAborted).ConfigureAwait(false);
        var mine = items.Where(i => i.Phone == request.Phone).ToList();
        Stream? bundle = await bundles.SubjectAccessAsync(AuditTrail.ActorOf(http), request.Phone!, request.Reason!.Trim(), mine, http.RequestAborted).ConfigureAwait(false);
        return bundle is null
            ? AuditTrail.NotRecorded()
            : Results.File(bundle, "application/zip", "subject-access.zip");
    }

    private static void CheckReason(string? reason, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why (1-{MaxReasonLength} characters): the reason goes in the audit log."];
        }
    }

    private static IEvidenceCatalogue? CatalogueOf(HttpContext http) => http.RequestServices.GetService<IEvidenceCatalogue>();

    private static IResult CatalogueMissing() => Problems.Create(
        StatusCodes.Status503ServiceUnavailable,
        "Evidence catalogue unavailable",
        "This relay has no evidence catalogue configured, so it cannot find what is held. Tell the relay's operator.");

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
