namespace Relay.Control.Evidence.Retention;

/// <summary>The force's retention categories (<see cref="RetentionCategories"/> keeps them in SQLite).</summary>
public interface IRetentionCategories
{
    /// <summary>Every category, by id.</summary>
    Task<IReadOnlyList<RetentionCategory>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The category, or null if there is none with that id.</summary>
    Task<RetentionCategory?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or changes a category, audited as an alteration by <paramref name="actor"/> for
    /// <paramref name="reason"/>. Making it the default takes the default from the one that had it;
    /// the default cannot be taken away except by making another the default.
    /// Changes apply to items from their next review on: review dates already set stay.
    /// </summary>
    /// <exception cref="EvidenceCatalogueException">A field is not valid, or the change would leave no default.</exception>
    Task<RetentionCategory> PutAsync(RetentionCategory category, string actor, string reason, CancellationToken cancellationToken = default);
}
