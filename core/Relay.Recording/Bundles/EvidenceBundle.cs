namespace Relay.Recording.Bundles;

/// <summary>What to put in a bundle.</summary>
/// <param name="Purpose">Why it is made: <see cref="ExportPurpose"/> or <see cref="SubjectAccessPurpose"/>.</param>
/// <param name="CreatedBy">Who asked for it (a user or API key name).</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Recipient">Who it is for, if named.</param>
/// <param name="Items">The items, each in its own folder.</param>
public sealed record EvidenceBundle(string Purpose, string CreatedBy, DateTimeOffset CreatedAt, string? Recipient, IReadOnlyList<BundleItem> Items)
{
    public const string ExportPurpose = "export";

    public const string SubjectAccessPurpose = "subject-access";
}
