using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>
/// The catalogue's legal holds carried to the configured evidence store plugin, when there is one.
/// The store is looked up at the first hold, not when the catalogue is made: making the store touches
/// the data directory, and a broken one must be reported by the database's start check first.
/// </summary>
internal sealed class EvidenceStoreHolds(IServiceProvider services) : IEvidenceStoreHolds
{
    public Task SetLegalHoldAsync(Guid recordingId, bool hold, CancellationToken cancellationToken) =>
        services.GetService<IEvidenceStore>() is { } store
            ? store.SetLegalHoldAsync(recordingId.ToString("D"), hold, cancellationToken)
            : Task.CompletedTask;
}
