namespace Relay.Control.Evidence;

/// <summary>Finding evidence items by incident, caller number, officer and time (the portal's and the API's search).</summary>
public interface IEvidenceSearch
{
    /// <summary>Items matching <paramref name="search"/>, newest first, with their recordings.</summary>
    Task<IReadOnlyList<EvidenceItem>> SearchAsync(EvidenceSearch search, CancellationToken cancellationToken = default);
}
