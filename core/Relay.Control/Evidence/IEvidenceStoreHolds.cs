namespace Relay.Control.Evidence;

/// <summary>
/// Carries the catalogue's legal holds to the evidence store, so the store itself refuses to delete
/// held recordings (the relay registers one over its IEvidenceStore plugin; without one, the
/// catalogue's hold alone blocks disposal).
/// </summary>
public interface IEvidenceStoreHolds
{
    Task SetLegalHoldAsync(Guid recordingId, bool hold, CancellationToken cancellationToken);
}
