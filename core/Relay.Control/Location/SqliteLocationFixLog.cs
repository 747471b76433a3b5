using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Control.Data;

namespace Relay.Control.Location;

/// <summary>
/// <see cref="ILocationFixLog"/> in the relay's database (module <see cref="LocationSchema"/>). The
/// socket's <see cref="Append"/> only queues; one writer task inserts what has queued in one
/// transaction per batch (a phone sends at most a few fixes a second, so batches stay small but a
/// burst from many callers costs one commit, not one each). A batch that fails is kept and retried.
/// </summary>
/// <remarks>
/// What a crash can lose is the batch being committed: the fixes of the last few milliseconds.
/// </remarks>
public sealed partial class SqliteLocationFixLog : ILocationFixLog, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly RelayDatabase _database;
    private readonly ILogger _logger;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Item> _carried = [];
    private readonly Task _writer;
    private long _written;
    private long _failures;

    public SqliteLocationFixLog(RelayDatabase database, ILogger<SqliteLocationFixLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _writer = Task.Run(() => WriteLoopAsync(_stop.Token));
    }

    /// <summary>Fixes written to the database.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batches that failed to commit (each is retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void Append(string sessionId, LocationFix fix)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(fix);
        _queue.Writer.TryWrite(new Item(sessionId, fix));
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failed write is logged and the fixes kept for the writer task to retry.")]
    public void Flush()
    {
        _gate.Wait();
        try
        {
            List<Item> batch = TakeQueued();
            try
            {
                Interlocked.Add(ref _written, WriteBatch(batch));
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _failures);
                Log.WriteFailed(_logger, batch.Count, e);
                _carried.AddRange(batch);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<LocationFix> Read(string sessionId, DateTimeOffset from, DateTimeOffset to) =>
        ReadAsync(sessionId, from, to).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<LocationFix>> ReadAsync(string sessionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT received_at, taken_at, latitude, longitude, accuracy, heading, speed
            FROM location_fixes WHERE session_id = $session AND received_at BETWEEN $from AND $to ORDER BY received_at, seq
            """;
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$from", Micros(from));
        command.Parameters.AddWithValue("$to", Micros(to));
        var fixes = new List<LocationFix>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            double latitude = reader.GetDouble(2);
            double longitude = reader.GetDouble(3);
            (GridPosition grid, string? reference) = Grid(latitude, longitude);
            fixes.Add(new LocationFix(
                latitude,
                longitude,
                reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetDouble(6),
                Time(reader.GetInt64(1)),
                Time(reader.GetInt64(0)),
                grid,
                reference));
        }

        return fixes;
    }

    public async Task<IReadOnlyList<string>> ListSessionsWithoutKeptTrailAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT f.session_id FROM location_fixes f
            WHERE NOT EXISTS (SELECT 1 FROM location_trails_kept k WHERE k.session_id = f.session_id)
            GROUP BY f.session_id ORDER BY min(f.seq) LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
        var sessions = new List<string>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sessions.Add(reader.GetString(0));
        }

        return sessions;
    }

    public async Task MarkTrailKeptAsync(string sessionId, Guid recordingId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO location_trails_kept (session_id, recording_id, kept_at) VALUES ($session, $recording, $at)";
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$recording", recordingId.ToString("D", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$at", Micros(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _gate.Dispose();
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failed batch is logged and retried; the writer must keep running.")]
    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        ChannelReader<Item> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                bool failed = false;
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    List<Item> batch = TakeQueued();
                    try
                    {
                        Interlocked.Add(ref _written, WriteBatch(batch));
                    }
                    catch (Exception e)
                    {
                        failed = true;
                        Interlocked.Increment(ref _failures);
                        Log.WriteFailed(_logger, batch.Count, e);
                        _carried.AddRange(batch);
                    }
                }
                finally
                {
                    _gate.Release();
                }

                if (failed)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
            }

            Flush();
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Under the gate: what a failed write left, then everything queued, in order.
    private List<Item> TakeQueued()
    {
        var batch = new List<Item>(_carried);
        _carried.Clear();
        while (_queue.Reader.TryRead(out Item item))
        {
            batch.Add(item);
        }

        return batch;
    }

    // Synchronous (Microsoft.Data.Sqlite does its I/O synchronously anyway), so Flush needs no pool thread.
    private int WriteBatch(List<Item> batch)
    {
        int fixes = 0;
        foreach (Item item in batch)
        {
            if (item.Fix is not null)
            {
                fixes++;
            }
        }

        if (fixes == 0)
        {
            return 0;
        }

        using SqliteConnection connection = _database.OpenAsync().GetAwaiter().GetResult();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO location_fixes (session_id, received_at, taken_at, latitude, longitude, accuracy, heading, speed)
            VALUES ($session, $received, $taken, $lat, $lon, $acc, $hdg, $spd)
            """;
        SqliteParameter session = command.Parameters.Add("$session", SqliteType.Text);
        SqliteParameter received = command.Parameters.Add("$received", SqliteType.Integer);
        SqliteParameter taken = command.Parameters.Add("$taken", SqliteType.Integer);
        SqliteParameter latitude = command.Parameters.Add("$lat", SqliteType.Real);
        SqliteParameter longitude = command.Parameters.Add("$lon", SqliteType.Real);
        SqliteParameter accuracy = command.Parameters.Add("$acc", SqliteType.Real);
        SqliteParameter heading = command.Parameters.Add("$hdg", SqliteType.Real);
        SqliteParameter speed = command.Parameters.Add("$spd", SqliteType.Real);
        foreach (Item item in batch)
        {
            if (item.Fix is not { } fix)
            {
                continue;
            }

            session.Value = item.SessionId;
            received.Value = Micros(fix.ReceivedAt);
            taken.Value = Micros(fix.Time);
            latitude.Value = fix.Latitude;
            longitude.Value = fix.Longitude;
            accuracy.Value = fix.Accuracy;
            heading.Value = (object?)fix.Heading ?? DBNull.Value;
            speed.Value = (object?)fix.Speed ?? DBNull.Value;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return fixes;
    }

    private static (GridPosition Grid, string? Reference) Grid(double latitude, double longitude)
    {
        GridPosition grid = Wgs84ToBritishNationalGrid.Convert(latitude, longitude);
        return (grid, GridReference.Format(grid));
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);

    private static DateTimeOffset Time(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * (TimeSpan.TicksPerMillisecond / 1000));

    private readonly record struct Item(string SessionId, LocationFix Fix);

    private static partial class Log
    {
        [LoggerMessage(EventId = 660, Level = LogLevel.Error, Message = "Location evidence: {Count} queued fixes could not be written to the database; retrying")]
        public static partial void WriteFailed(ILogger logger, int count, Exception exception);
    }
}
