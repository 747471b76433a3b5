using Relay.Control.Audit;
using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Portal.Node;
using Relay.Server.Evidence.Catalogue;

namespace Relay.Server.Portal;

/// <summary>The portal's evidence pages over the catalogue, retention and view audit the <c>/api/evidence</c> endpoints use.</summary>
internal sealed class PortalEvidence(IEvidenceSearch search, IEvidenceCatalogue catalogue, IEvidenceRetention retention, IAuditLog audit) : IPortalEvidence
{
    private const string NotRecorded = "The view could not be written to the audit log, so nothing is shown. Try again; if it keeps failing, tell the relay's operator.";

    public async Task<IReadOnlyList<EvidenceItem>?> SearchAsync(EvidenceSearch query, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await EvidenceViewAudit.TryAppendAsync(audit, EvidenceViewAudit.Search(actor, query)).ConfigureAwait(false)
            ? await search.SearchAsync(query, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<EvidenceRecord> OpenAsync(string itemId, string actor, CancellationToken cancellationToken = default)
    {
        EvidenceItem? item = await catalogue.FindAsync(itemId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return new EvidenceRecord(null, [], "There is no such evidence item: it was never recorded, or it has been disposed of. Search for it on the Evidence page.");
        }

        if (!await EvidenceViewAudit.TryAppendAsync(audit, EvidenceViewAudit.Record(actor, item.Id)).ConfigureAwait(false))
        {
            return new EvidenceRecord(null, [], NotRecorded);
        }

        IReadOnlyList<EvidenceReviewRecord> reviews = await retention.ListReviewsAsync(item.Id, cancellationToken).ConfigureAwait(false);
        return new EvidenceRecord(item, reviews, null);
    }

    public Task<EvidenceChange> ReviewAsync(EvidenceReview review, CancellationToken cancellationToken = default) =>
        ChangeAsync(() => retention.ReviewAsync(review, cancellationToken), null);

    public Task<EvidenceChange> PlaceHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            () => retention.PlaceLegalHoldAsync(itemId, actor, reason, cancellationToken),
            static e => $"The evidence store could not place the hold ({e.Message}); nothing was changed. Try again; if it keeps failing, tell the relay's operator.");

    public Task<EvidenceChange> LiftHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            () => retention.LiftLegalHoldAsync(itemId, actor, reason, cancellationToken),
            static e => $"The hold is lifted in the catalogue (and audited), but the evidence store still holds the recordings ({e.Message}). Its objects cannot be disposed of until the store's hold is lifted there.");

    private static async Task<EvidenceChange> ChangeAsync(Func<Task<EvidenceItem>> change, Func<EvidenceStoreException, string>? storeFailure)
    {
        try
        {
            return new EvidenceChange(await change().ConfigureAwait(false), null);
        }
        catch (EvidenceCatalogueException e)
        {
            return new EvidenceChange(null, e.Message, e.Field);
        }
        catch (EvidenceStoreException e) when (storeFailure is not null)
        {
            return new EvidenceChange(null, storeFailure(e));
        }
    }
}
