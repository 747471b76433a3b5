using Microsoft.Extensions.Options;

namespace Relay.Server.Sessions;

internal sealed class CallSessionOptionsValidator : IValidateOptions<CallSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, CallSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.CallerTokenLifetime < TimeSpan.FromMinutes(1) || options.CallerTokenLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{CallSessionOptions.SectionName}:CallerTokenLifetime is {options.CallerTokenLifetime}; give 00:01:00 to 1.00:00:00 (30 minutes is usual).");
        }

        if (options.LinkBaseUrl is { Length: > 0 } baseUrl
            && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Query.Length > 0))
        {
            failures.Add($"{CallSessionOptions.SectionName}:LinkBaseUrl '{baseUrl}' is not an absolute http(s) URL without a query, such as https://relay.example.org");
        }

        if (options.RetentionCategories is { Length: > 0 })
        {
            failures.Add($"{CallSessionOptions.SectionName}:RetentionCategories is no longer read: retention categories are kept in the database; list them with GET /api/retention/categories and change them with PUT /api/retention/categories/{{id}}. Remove the setting.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
