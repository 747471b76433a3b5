using Microsoft.Data.Sqlite;
using Relay.Control.Data;
using Relay.Control.Location;

namespace Relay.Control.Tests.Location;

public sealed class SqliteLocationFixLogTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("relay-location-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_fix_appended_is_kept_and_read_back_by_session_and_time_span_after_a_flush()
    {
        await using SqliteLocationFixLog log = await CreateAsync();
        for (int i = 0; i < 10; i++)
        {
            log.Append("s1", Fix(i));
            log.Append("s2", Fix(i));
        }

        log.Flush();

        IReadOnlyList<LocationFix> all = await log.ReadAsync("s1", DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1));
        IReadOnlyList<LocationFix> span = await log.ReadAsync("s1", s_start.AddSeconds(3), s_start.AddSeconds(5));
        Assert.Equal(10, all.Count);
        Assert.Equal(20, log.Written);
        Assert.Equal([3, 4, 5], span.Select(f => (int)(f.ReceivedAt - s_start).TotalSeconds));
        LocationFix first = all[0];
        Assert.Equal(Fix(0) with { Grid = first.Grid, GridReference = first.GridReference }, first);
        Assert.StartsWith("TQ", first.GridReference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixes_survive_the_log_being_disposed_and_opened_again()
    {
        await using (SqliteLocationFixLog log = await CreateAsync())
        {
            log.Append("s1", Fix(0));
            log.Append("s1", Fix(1));
        }

        await using SqliteLocationFixLog again = await CreateAsync();
        Assert.Equal(2, (await again.ReadAsync("s1", s_start, s_start.AddMinutes(1))).Count);
    }

    [Fact]
    public async Task Sessions_are_listed_until_their_trail_is_marked_kept()
    {
        await using SqliteLocationFixLog log = await CreateAsync();
        log.Append("first", Fix(0));
        log.Append("second", Fix(1));
        log.Flush();

        Assert.Equal(["first", "second"], await log.ListSessionsWithoutKeptTrailAsync(10));
        await log.MarkTrailKeptAsync("first", Guid.NewGuid(), s_start);
        Assert.Equal(["second"], await log.ListSessionsWithoutKeptTrailAsync(10));
    }

    [Fact]
    public void The_directory_hands_every_fix_to_its_log()
    {
        var log = new ListLog();
        var directory = new LocationDirectory(log, trailCapacity: 2);
        for (int i = 0; i < 5; i++)
        {
            directory.Add("s1", Fix(i));
        }

        Assert.Equal(2, directory.GetTrail("s1").Count);
        Assert.Equal(5, log.Fixes.Count);
    }

    private static LocationFix Fix(int second) => new(
        51.5 + (second / 10_000.0), -0.12, 5 + second, second % 2 == 0 ? null : 90, second % 2 == 0 ? 1.5 : null, s_start.AddSeconds(second).AddMilliseconds(-200), s_start.AddSeconds(second), new GridPosition(0, 0), null);

    private async Task<SqliteLocationFixLog> CreateAsync()
    {
        var database = new RelayDatabase(Path.Combine(_directory, "relay.db"), [LocationSchema.Module]);
        await database.MigrateAsync();
        return new SqliteLocationFixLog(database);
    }

    private sealed class ListLog : ILocationFixLog
    {
        public List<LocationFix> Fixes { get; } = [];

        public void Append(string sessionId, LocationFix fix) => Fixes.Add(fix);

        public void Flush()
        {
        }

        public IReadOnlyList<LocationFix> Read(string sessionId, DateTimeOffset from, DateTimeOffset to) => Fixes;

        public Task<IReadOnlyList<LocationFix>> ReadAsync(string sessionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<LocationFix>>(Fixes);

        public Task<IReadOnlyList<string>> ListSessionsWithoutKeptTrailAsync(int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public Task MarkTrailKeptAsync(string sessionId, Guid recordingId, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
