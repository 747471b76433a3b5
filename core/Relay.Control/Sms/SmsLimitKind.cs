namespace Relay.Control.Sms;

/// <summary>Which sending limit refused an SMS.</summary>
public enum SmsLimitKind
{
    /// <summary>The number's country code is not one links may be sent to.</summary>
    CountryNotAllowed,

    PerOfficer,

    PerNumber,

    PerCountry,
}
