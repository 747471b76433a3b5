using Microsoft.Extensions.Options;
using Relay.Control.Sessions;
using Relay.Control.Sms;

namespace Relay.Server.Sessions;

internal sealed class SmsLimitOptionsValidator : IValidateOptions<SmsLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string[] codes = options.AllowedCountryCodes ?? [];
        for (int i = 0; i < codes.Length; i++)
        {
            if (!PhoneNumber.IsCountryCode(codes[i]))
            {
                failures.Add($"{SmsLimitOptions.SectionName}:AllowedCountryCodes:{i} is '{codes[i]}', not a country calling code in use; give its digits without '+', e.g. 44.");
            }
        }

        Check(failures, "PerOfficer", options.PerOfficer);
        Check(failures, "PerNumber", options.PerNumber);
        Check(failures, "PerCountry", options.PerCountry);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string name, SmsLimit? limit)
    {
        if (limit is null)
        {
            failures.Add($"{SmsLimitOptions.SectionName}:{name} is empty; give Count and Window.");
            return;
        }

        if (limit.Count is < 1 or > 1_000_000)
        {
            failures.Add($"{SmsLimitOptions.SectionName}:{name}:Count is {limit.Count}; give 1 to 1000000 messages per window.");
        }

        if (limit.Window < TimeSpan.FromMinutes(1) || limit.Window > TimeSpan.FromDays(31))
        {
            failures.Add($"{SmsLimitOptions.SectionName}:{name}:Window is {limit.Window}; give 00:01:00 to 31.00:00:00 (01:00:00 is usual).");
        }
    }
}
