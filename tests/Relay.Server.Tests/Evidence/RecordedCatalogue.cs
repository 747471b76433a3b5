using System.Collections.Concurrent;
using Relay.Control.Evidence;

namespace Relay.Server.Tests.Evidence;

/// <summary>
/// A catalogue that only remembers what it was told, for the upload tests until the real catalogue
/// (core/Relay.Control/Evidence, another helper's work) lands; the relay's own code is not replaced.
/// </summary>
internal sealed class RecordedCatalogue : IEvidenceCatalogue
{
    public ConcurrentQueue<RecordingStarted> Started { get; } = new();

    public ConcurrentQueue<RecordingClosed> Closed { get; } = new();

    public ConcurrentQueue<(Guid RecordingId, string Store)> Stored { get; } = new();

    public Task RecordingStartedAsync(RecordingStarted recording, CancellationToken cancellationToken = default)
    {
        Started.Enqueue(recording);
        return Task.CompletedTask;
    }

    public Task RecordingClosedAsync(RecordingClosed recording, CancellationToken cancellationToken = default)
    {
        Closed.Enqueue(recording);
        return Task.CompletedTask;
    }

    public Task RecordingStoredAsync(Guid recordingId, string store, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        Stored.Enqueue((recordingId, store));
        return Task.CompletedTask;
    }

    public Task<EvidenceItem?> FindAsync(string itemId, CancellationToken cancellationToken = default) => Task.FromResult<EvidenceItem?>(null);

    public Task<IReadOnlyList<EvidenceItem>> FindByPhoneAsync(string phone, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<EvidenceItem>>([]);
}
