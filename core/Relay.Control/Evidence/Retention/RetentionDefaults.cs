namespace Relay.Control.Evidence.Retention;

/// <summary>
/// The categories seeded on the first migration, after the College of Policing's Management of Police
/// Information (MoPI) retention groups, and a short one for footage not needed as evidence. A force
/// edits them (and the default) through <see cref="IRetentionCategories"/>.
/// </summary>
public static class RetentionDefaults
{
    /// <summary>MoPI group 1: certain public protection matters. Reviewed every 10 years; never disposed automatically.</summary>
    public const string Group1 = "mopi-group-1";

    /// <summary>MoPI group 2: other sexual, violent or serious offences. Reviewed every 10 years by a person.</summary>
    public const string Group2 = "mopi-group-2";

    /// <summary>MoPI group 3: all other offences. Reviewed at 6 years; disposed then unless retained or held.</summary>
    public const string Group3 = "mopi-group-3";

    /// <summary>Footage not needed as evidence: disposed after 31 days unless retained or held. The default.</summary>
    public const string NotNeeded = "not-needed";

    public static IReadOnlyList<RetentionCategory> Categories { get; } =
    [
        new(Group1, "MoPI group 1: certain public protection matters", RetentionPeriod.Years(10), RetentionDisposal.Review, IsDefault: false),
        new(Group2, "MoPI group 2: other sexual, violent or serious offences", RetentionPeriod.Years(10), RetentionDisposal.Review, IsDefault: false),
        new(Group3, "MoPI group 3: all other offences", RetentionPeriod.Years(6), RetentionDisposal.Dispose, IsDefault: false),
        new(NotNeeded, "Not needed as evidence", RetentionPeriod.Days(31), RetentionDisposal.Dispose, IsDefault: true),
    ];
}
