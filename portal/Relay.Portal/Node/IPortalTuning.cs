namespace Relay.Portal.Node;

/// <summary>
/// The settings an engineer may change while the relay runs (the Tuning page), provided by the relay
/// host. A change is checked by the same rules the relay checks its configuration with at start,
/// applied without a restart, and audited with the old and new value.
/// </summary>
public interface IPortalTuning
{
    /// <summary>Every tunable setting, with the value in effect now and where it comes from.</summary>
    Task<IReadOnlyList<TuningSetting>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/> (configuration text), or with a null
    /// value removes the change made here, back to the configured value. The caller has checked the
    /// person may (the page's <c>ActionGuard</c>; the API's role).
    /// </summary>
    Task<TuningOutcome> ChangeAsync(string key, string? value, string? reason, string actor, CancellationToken cancellationToken = default);
}

/// <summary>Where a setting's value in effect comes from.</summary>
public enum TuningSource
{
    /// <summary>Nobody set it: the relay's built-in default.</summary>
    Default,

    /// <summary>A configuration file (appsettings.json).</summary>
    ConfigurationFile,

    /// <summary>Changed in operation (this page or <c>PUT /api/tuning/{key}</c>); kept in the database.</summary>
    Tuned,

    /// <summary>An environment variable or command-line argument, which wins over a change made here: it cannot be changed here.</summary>
    Environment,
}

/// <summary>One tunable setting as shown to an engineer.</summary>
/// <param name="Key">The configuration key, e.g. <c>Relay:Sessions:CallerTokenLifetime</c>; the API's <c>{key}</c>.</param>
/// <param name="Name">What it is called on the page.</param>
/// <param name="Group">The part of the relay it tunes (Media, Recording, Caller links, SMS limits).</param>
/// <param name="Description">What it does, in a sentence.</param>
/// <param name="Format">How to write a value, e.g. "a whole number of packets" or "hh:mm:ss".</param>
/// <param name="Value">The value in effect now, as configuration text.</param>
/// <param name="Source">Where <paramref name="Value"/> comes from.</param>
/// <param name="AppliesTo">What a change reaches: what is already running, or only what starts next.</param>
/// <param name="ChangedBy">Who changed it here, when <see cref="TuningSource.Tuned"/>.</param>
/// <param name="ChangedAt">When, when <see cref="TuningSource.Tuned"/>.</param>
public sealed record TuningSetting(
    string Key,
    string Name,
    string Group,
    string Description,
    string Format,
    string Value,
    TuningSource Source,
    string AppliesTo,
    string? ChangedBy,
    DateTimeOffset? ChangedAt)
{
    /// <summary>Whether it may be changed here: not when the environment or command line sets it.</summary>
    public bool CanChange => Source != TuningSource.Environment;
}

/// <summary>Why a change was not made, or that it was.</summary>
public enum TuningOutcomeKind
{
    Changed,

    /// <summary>No tunable setting has that key.</summary>
    UnknownSetting,

    /// <summary>The environment or command line sets it, and wins.</summary>
    SetByEnvironment,

    /// <summary>The value breaks a rule of the setting, or the reason is missing; <see cref="TuningOutcome.Message"/> says which.</summary>
    Invalid,
}

/// <summary>The result of a change: what happened, in words for the engineer, and the setting as it is now.</summary>
/// <param name="Field">For <see cref="TuningOutcomeKind.Invalid"/>: "value" or "reason".</param>
public sealed record TuningOutcome(TuningOutcomeKind Kind, string Message, string? Field, TuningSetting? Setting);
