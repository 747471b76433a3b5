using System.Collections.Concurrent;
using Relay.Control.Evidence;

namespace Relay.Server.Tests.Evidence.Export;

/// <summary>
/// Items kept in memory, for the export endpoint tests until the catalogue's own implementation is
/// merged (HTTP tests only; never in end-to-end tests).
/// </summary>
internal sealed class TestEvidenceCatalogue : IEvidenceCatalogue
{
    private readonly ConcurrentDictionary<string, EvidenceItem> _items = new(StringComparer.Ordinal);

    public void Add(EvidenceItem item) => _items[item.Id] = item;

    public Task RecordingStartedAsync(RecordingStarted recording, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordingClosedAsync(RecordingClosed recording, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordingStoredAsync(Guid recordingId, string store, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<EvidenceItem?> FindAsync(string itemId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_items.GetValueOrDefault(itemId));

    public Task<IReadOnlyList<EvidenceItem>> FindByPhoneAsync(string phone, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<EvidenceItem>>([.. _items.Values.Where(i => i.Phone == phone).OrderBy(i => i.CreatedAt)]);
}
