namespace Relay.Control.Tuning;

/// <summary>
/// One change to a setting, as the audit log keeps it: the value in effect before (wherever it came
/// from: a file, a default, an earlier change) and the one after.
/// </summary>
/// <param name="Key">The configuration key.</param>
/// <param name="Before">The value in effect before, as shown to the engineer.</param>
/// <param name="After">The value in effect after; for a reset, the configured value it goes back to.</param>
/// <param name="Value">The override to store; null removes it (back to the configuration files).</param>
public sealed record TuningChange(string Key, string Before, string After, string? Value);
