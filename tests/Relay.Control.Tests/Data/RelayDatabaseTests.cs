using Microsoft.Data.Sqlite;
using Relay.Control.Data;

namespace Relay.Control.Tests.Data;

public sealed class RelayDatabaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-db-").FullName;

    private string DatabasePath => Path.Combine(_directory, "nested", "relay.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Migrating_creates_the_file_and_applies_each_modules_scripts_in_order()
    {
        var database = new RelayDatabase(DatabasePath, [
            new SchemaModule("things", ["CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);", "ALTER TABLE things ADD COLUMN colour TEXT;"]),
            new SchemaModule("other", ["CREATE TABLE other (id INTEGER PRIMARY KEY);"]),
        ]);

        await database.MigrateAsync();

        Assert.True(File.Exists(DatabasePath));
        Assert.Equal(2, await database.GetVersionAsync("things"));
        Assert.Equal(1, await database.GetVersionAsync("other"));
        await using SqliteConnection connection = await database.OpenAsync();
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO things (name, colour) VALUES ('a', 'blue');";
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task A_later_build_applies_only_the_new_migrations()
    {
        await new RelayDatabase(DatabasePath, [new SchemaModule("things", ["CREATE TABLE things (id INTEGER PRIMARY KEY);"])]).MigrateAsync();
        var later = new RelayDatabase(DatabasePath, [new SchemaModule("things", ["CREATE TABLE things (id INTEGER PRIMARY KEY);", "CREATE TABLE more (id INTEGER PRIMARY KEY);"])]);

        await later.MigrateAsync();
        await later.MigrateAsync();

        Assert.Equal(2, await later.GetVersionAsync("things"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_module_at_its_last_good_version()
    {
        var database = new RelayDatabase(DatabasePath, [new SchemaModule("things", ["CREATE TABLE things (id INTEGER PRIMARY KEY);", "CREATE TABLE broken (;"])]);

        await Assert.ThrowsAsync<SqliteException>(() => database.MigrateAsync());

        Assert.Equal(1, await database.GetVersionAsync("things"));
    }

    [Fact]
    public async Task A_database_newer_than_the_build_is_refused_with_the_reason()
    {
        await new RelayDatabase(DatabasePath, [new SchemaModule("things", ["CREATE TABLE a (id INTEGER);", "CREATE TABLE b (id INTEGER);"])]).MigrateAsync();
        var older = new RelayDatabase(DatabasePath, [new SchemaModule("things", ["CREATE TABLE a (id INTEGER);"])]);

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => older.MigrateAsync());

        Assert.Contains("newer than this build", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relays_started_together_on_one_file_apply_each_migration_once()
    {
        SchemaModule[] modules = [new SchemaModule("things", ["CREATE TABLE a (id INTEGER);", "CREATE TABLE b (id INTEGER);"]), new SchemaModule("other", ["CREATE TABLE c (id INTEGER);"])];

        for (int run = 0; run < 10; run++)
        {
            string path = Path.Combine(_directory, $"together-{run}.db");
            using var start = new Barrier(4);

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return new RelayDatabase(path, modules).MigrateAsync();
            })));

            var database = new RelayDatabase(path, modules);
            Assert.Equal(2, await database.GetVersionAsync("things"));
            Assert.Equal(1, await database.GetVersionAsync("other"));
        }
    }

    [Fact]
    public void Two_modules_with_one_name_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RelayDatabase(DatabasePath, [new SchemaModule("x", []), new SchemaModule("x", [])]));
    }
}
