using Microsoft.Extensions.Logging.Abstractions;
using Relay.Control.Evidence;
using Relay.Server.Recording;
using Relay.Testing.Time;

namespace Relay.Server.Tests.Recording;

public sealed class CatalogueCallsTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly FlakyCatalogue _catalogue = new();
    private readonly List<Func<CancellationToken, Task>> _posted = [];
    private readonly CatalogueCalls _calls;

    public CatalogueCallsTests() => _calls = new CatalogueCalls(_catalogue, _time, NullLogger.Instance, _posted.Add);

    public void Dispose() => _calls.Dispose();

    [Fact]
    public async Task AFailedCallIsTriedAgainWhileRunningAndTheRecordingsLaterCallsWaitBehindItInOrder()
    {
        var recording = Guid.NewGuid();
        var other = Guid.NewGuid();
        _catalogue.FailNext = 1;

        await _calls.SendAsync(recording, (c, t) => c.RecordingStartedAsync(Started(recording), t), default);
        await _calls.SendAsync(recording, (c, t) => c.RecordingClosedAsync(Closed(recording), t), default);
        await _calls.SendAsync(other, (c, t) => c.RecordingStoredAsync(other, "filesystem", _time.GetUtcNow(), t), default);

        Assert.Equal(2, _calls.Waiting);
        Assert.Equal(["stored " + other], _catalogue.Applied);

        _catalogue.FailNext = 1;
        _time.Advance(CatalogueCalls.FirstDelay);
        await RunPostedAsync();

        // Failed again: the next try waits twice as long.
        Assert.Equal(2, _calls.Waiting);
        _time.Advance(CatalogueCalls.FirstDelay);
        Assert.Empty(_posted);
        _time.Advance(CatalogueCalls.FirstDelay);
        await RunPostedAsync();

        Assert.Equal(0, _calls.Waiting);
        Assert.Equal(["stored " + other, "started " + recording, "closed " + recording], _catalogue.Applied);
        Assert.Equal(2, _calls.Failures);
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public async Task ACallArrivingWhileOthersWaitIsNotTriedBeforeThem()
    {
        var recording = Guid.NewGuid();
        _catalogue.FailNext = 1;
        await _calls.SendAsync(recording, (c, t) => c.RecordingStartedAsync(Started(recording), t), default);

        await _calls.SendAsync(recording, (c, t) => c.RecordingClosedAsync(Closed(recording), t), default);

        Assert.Empty(_catalogue.Applied);
        Assert.Equal(1, _catalogue.Attempts);
        _time.Advance(CatalogueCalls.FirstDelay);
        await RunPostedAsync();
        Assert.Equal(["started " + recording, "closed " + recording], _catalogue.Applied);
    }

    [Fact]
    public async Task ACallTheCatalogueRefusesForGoodIsDroppedAndTheRecordingsLaterCallsGoOn()
    {
        var recording = Guid.NewGuid();
        _catalogue.Refuse = true;
        await _calls.SendAsync(recording, (c, t) => c.RecordingStartedAsync(Started(recording), t), default);
        _catalogue.Refuse = false;

        await _calls.SendAsync(recording, (c, t) => c.RecordingClosedAsync(Closed(recording), t), default);

        Assert.Equal(0, _calls.Waiting);
        Assert.Equal(["closed " + recording], _catalogue.Applied);
        Assert.Equal(0, _time.ActiveTimers);
    }

    private async Task RunPostedAsync()
    {
        Func<CancellationToken, Task>[] work = [.. _posted];
        _posted.Clear();
        foreach (Func<CancellationToken, Task> item in work)
        {
            await item(default);
        }
    }

    private RecordingStarted Started(Guid recording) => new(recording, "session-1", "node-a", _time.GetUtcNow());

    private RecordingClosed Closed(Guid recording) => new(recording, _time.GetUtcNow(), 1, 100, new string('a', 64), new string('b', 64), 0, false);

    /// <summary>A catalogue that fails (as a locked or full database does) the next <see cref="FailNext"/> calls, or refuses them.</summary>
    private sealed class FlakyCatalogue : IEvidenceCatalogue
    {
        public int FailNext { get; set; }

        public bool Refuse { get; set; }

        public int Attempts { get; private set; }

        public List<string> Applied { get; } = [];

        public Task RecordingStartedAsync(RecordingStarted recording, CancellationToken cancellationToken = default) => Apply("started " + recording.RecordingId);

        public Task RecordingClosedAsync(RecordingClosed recording, CancellationToken cancellationToken = default) => Apply("closed " + recording.RecordingId);

        public Task RecordingStoredAsync(Guid recordingId, string store, DateTimeOffset at, CancellationToken cancellationToken = default) => Apply("stored " + recordingId);

        public Task<EvidenceItem?> FindAsync(string itemId, CancellationToken cancellationToken = default) => Task.FromResult<EvidenceItem?>(null);

        public Task<IReadOnlyList<EvidenceItem>> FindByPhoneAsync(string phone, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<EvidenceItem>>([]);

        private Task Apply(string call)
        {
            Attempts++;
            if (Refuse)
            {
                throw new EvidenceCatalogueException(EvidenceCatalogueError.NotFound, "There is no session 'session-1' to record evidence for.");
            }

            if (FailNext > 0)
            {
                FailNext--;
                throw new IOException("database is locked");
            }

            Applied.Add(call);
            return Task.CompletedTask;
        }
    }
}
