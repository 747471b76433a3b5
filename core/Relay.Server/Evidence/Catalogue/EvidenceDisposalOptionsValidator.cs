using Microsoft.Extensions.Options;

namespace Relay.Server.Evidence.Catalogue;

internal sealed class EvidenceDisposalOptionsValidator : IValidateOptions<EvidenceDisposalOptions>
{
    public ValidateOptionsResult Validate(string? name, EvidenceDisposalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Interval < TimeSpan.FromMinutes(1) || options.Interval > TimeSpan.FromDays(7))
        {
            failures.Add($"{EvidenceDisposalOptions.SectionName}:Interval is {options.Interval}; give 00:01:00 to 7.00:00:00 (01:00:00 is usual).");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{EvidenceDisposalOptions.SectionName}:BatchSize is {options.BatchSize}; give 1 to 10000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
