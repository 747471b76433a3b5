using Microsoft.Data.Sqlite;
using Relay.Control.Data;
using Relay.Control.Sessions;

namespace Relay.Control.Tests.Sessions;

/// <summary>A real SQLite database in a temporary directory, migrated with the sessions module; DeleteAsync removes it.</summary>
internal sealed class SessionDatabase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-sessions-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "relay.db");

    /// <summary>A fresh database object over the same file, as a restarted relay would open it.</summary>
    public async Task<RelayDatabase> OpenAsync()
    {
        var database = new RelayDatabase(Path, [SessionSchema.Module]);
        await database.MigrateAsync();
        return database;
    }

    public async Task<SqliteSessionStore> OpenStoreAsync() => new(await OpenAsync());

    public static CallSession NewSession(string token, DateTimeOffset now, string? id = null, string phone = "+447700900123", string createdBy = "cad", SessionMode mode = SessionMode.Video, SessionCreatorKind createdByKind = SessionCreatorKind.User) => new()
    {
        Id = id ?? Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        Incident = "INC-1",
        Phone = phone,
        Mode = mode,
        Audio = true,
        Retention = "standard",
        CreatedAt = now,
        CreatedBy = createdBy,
        CreatedByKind = createdByKind,
        CallerTokenHash = CallerSecret.Hash(token),
        CallerTokenExpiresAt = now.AddMinutes(30),
    };

    public ValueTask DeleteAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
