namespace Relay.Control.Sms;

/// <summary>
/// Limits on sending caller links by SMS (<c>Relay:Sms:Limits</c>), so a stolen key or a mistake
/// cannot make the relay a spam or toll-fraud source: per officer, per destination number and per
/// country code, each counted from the database (a restart does not reset them).
/// </summary>
public sealed class SmsLimitOptions
{
    public const string SectionName = "Relay:Sms:Limits";

    /// <summary>The default when <see cref="AllowedCountryCodes"/> is not configured: the UK.</summary>
    public static readonly IReadOnlyList<string> DefaultCountryCodes = ["44"];

    /// <summary>Country calling codes links may be sent to, without '+'; unset means <see cref="DefaultCountryCodes"/>.</summary>
    /// <remarks>Null by default rather than ["44"]: the configuration binder appends to an array's defaults instead of replacing them.</remarks>
    public string[]? AllowedCountryCodes { get; set; }

    /// <summary>Per officer (API key name or user): 20 an hour by default.</summary>
    public SmsLimit PerOfficer { get; set; } = new() { Count = 20, Window = TimeSpan.FromHours(1) };

    /// <summary>Per destination number: 3 an hour by default.</summary>
    public SmsLimit PerNumber { get; set; } = new() { Count = 3, Window = TimeSpan.FromHours(1) };

    /// <summary>Per country code, across all officers: 300 an hour by default.</summary>
    public SmsLimit PerCountry { get; set; } = new() { Count = 300, Window = TimeSpan.FromHours(1) };

    public IReadOnlyList<string> EffectiveCountryCodes => AllowedCountryCodes is { Length: > 0 } codes ? codes : DefaultCountryCodes;
}
