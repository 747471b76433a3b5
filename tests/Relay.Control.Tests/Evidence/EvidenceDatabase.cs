using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Evidence;
using Relay.Control.Evidence.Retention;
using Relay.Control.Location;
using Relay.Control.Sessions;
using Relay.Control.Tests.Sessions;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Evidence;

/// <summary>A real SQLite file in a temporary directory with the sessions, audit, evidence and location modules, as the relay has them.</summary>
internal sealed class EvidenceDatabase : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-evidence-").FullName;

    private EvidenceDatabase(ManualTimeProvider time) => Time = time;

    public ManualTimeProvider Time { get; }

    public RelayDatabase Database { get; private set; } = null!;

    public SqliteSessionStore Sessions { get; private set; } = null!;

    public AuditLog Audit { get; private set; } = null!;

    public RetentionCategories Categories { get; private set; } = null!;

    public RecordingHolds Holds { get; } = new();

    public SqliteEvidenceCatalogue Catalogue { get; private set; } = null!;

    public static async Task<EvidenceDatabase> CreateAsync(bool withStoreHolds = true)
    {
        var db = new EvidenceDatabase(new ManualTimeProvider(new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero)));
        db.Database = new RelayDatabase(Path.Combine(db._directory, "relay.db"), [SessionSchema.Module, AuditSchema.Module, EvidenceSchema.Module, LocationSchema.Module]);
        await db.Database.MigrateAsync();
        db.Sessions = new SqliteSessionStore(db.Database);
        db.Audit = new AuditLog(db.Database, db.Time);
        db.Categories = new RetentionCategories(db.Database, db.Time);
        db.Catalogue = new SqliteEvidenceCatalogue(db.Database, db.Sessions, db.Time, withStoreHolds ? db.Holds : null);
        return db;
    }

    /// <summary>A session with the given retention category, and one recording of it started now.</summary>
    public async Task<(string SessionId, Guid RecordingId)> RecordAsync(string retention = RetentionDefaults.Group3, string phone = "+447700900123", string incident = "INC-1", string officer = "cad")
    {
        CallSession session = SessionDatabase.NewSession(Guid.NewGuid().ToString("N"), Time.GetUtcNow(), phone: phone, createdBy: officer) with { Retention = retention, Incident = incident };
        await Sessions.AddAsync(session);
        var recordingId = Guid.NewGuid();
        await Catalogue.RecordingStartedAsync(new RecordingStarted(recordingId, session.Id, "node-a", Time.GetUtcNow()));
        return (session.Id, recordingId);
    }

    /// <summary>Closes the recording and, unless <paramref name="stored"/> is false, confirms it whole in the store.</summary>
    public async Task CloseAsync(Guid recordingId, bool stored = true)
    {
        await Catalogue.RecordingClosedAsync(new RecordingClosed(recordingId, Time.GetUtcNow(), 3, 4096, new string('a', 64), new string('b', 64), 0, false));
        if (stored)
        {
            await Catalogue.RecordingStoredAsync(recordingId, "filesystem", Time.GetUtcNow());
        }
    }

    public Task<IReadOnlyList<AuditRecord>> AuditAsync(string subject) => Audit.QueryAsync(new AuditQuery { Subject = subject });

    public ValueTask DisposeAsync()
    {
        Audit?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>The evidence store's holds as the catalogue sets them (a real store is tested in Relay.Server.Tests).</summary>
    internal sealed class RecordingHolds : IEvidenceStoreHolds
    {
        private readonly Dictionary<Guid, bool> _holds = [];

        public bool IsHeld(Guid recordingId)
        {
            lock (_holds)
            {
                return _holds.GetValueOrDefault(recordingId);
            }
        }

        public Task SetLegalHoldAsync(Guid recordingId, bool hold, CancellationToken cancellationToken)
        {
            lock (_holds)
            {
                _holds[recordingId] = hold;
            }

            return Task.CompletedTask;
        }
    }
}
