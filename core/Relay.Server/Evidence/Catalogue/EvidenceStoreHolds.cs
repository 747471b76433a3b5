using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>The catalogue's legal holds carried to the configured evidence store plugin.</summary>
internal sealed class EvidenceStoreHolds(IEvidenceStore store) : IEvidenceStoreHolds
{
    public Task SetLegalHoldAsync(Guid recordingId, bool hold, CancellationToken cancellationToken) =>
        store.SetLegalHoldAsync(recordingId.ToString("D"), hold, cancellationToken);
}
