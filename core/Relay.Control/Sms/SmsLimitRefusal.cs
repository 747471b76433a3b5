namespace Relay.Control.Sms;

/// <summary>Why an SMS may not be sent now, and when it could be (null: not by waiting).</summary>
/// <param name="Limit">The limit that refused it.</param>
/// <param name="Detail">What was refused and what to do, for the officer.</param>
/// <param name="FreesAt">When one more SMS fits under the limit; null for <see cref="SmsLimitKind.CountryNotAllowed"/>.</param>
public sealed record SmsLimitRefusal(SmsLimitKind Limit, string Detail, DateTimeOffset? FreesAt)
{
    /// <summary>The limit's name as the API and configuration say it.</summary>
    public string Name => Limit switch
    {
        SmsLimitKind.CountryNotAllowed => "AllowedCountryCodes",
        SmsLimitKind.PerOfficer => "PerOfficer",
        SmsLimitKind.PerNumber => "PerNumber",
        _ => "PerCountry",
    };
}
