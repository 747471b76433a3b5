namespace Relay.Control.Tuning;

/// <summary>A setting changed in operation: its configuration key, the value it now has, and who set it when.</summary>
/// <param name="Key">The configuration key, e.g. <c>Relay:Sessions:CallerTokenLifetime</c>.</param>
/// <param name="Value">The value as configuration text (invariant culture).</param>
public sealed record TuningOverride(string Key, string Value, DateTimeOffset ChangedAt, string ChangedBy);
