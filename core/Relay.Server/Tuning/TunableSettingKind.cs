namespace Relay.Server.Tuning;

/// <summary>How a tunable setting's value is written.</summary>
internal enum TunableSettingKind
{
    /// <summary>A whole number (invariant digits).</summary>
    WholeNumber,

    /// <summary>A time span, <c>[d.]hh:mm:ss[.fff]</c>.</summary>
    Duration,

    /// <summary>A list of country calling codes, comma-separated, each without '+'; bound as an array.</summary>
    CountryCodes,
}
