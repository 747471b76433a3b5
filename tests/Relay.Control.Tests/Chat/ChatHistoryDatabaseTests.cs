using Microsoft.Data.Sqlite;
using Relay.Control.Chat;
using Relay.Control.Data;

namespace Relay.Control.Tests.Chat;

/// <summary>The chat as evidence: kept in the relay's database, read back after a restart, erased with the session.</summary>
public sealed class ChatHistoryDatabaseTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 18, 0, 0, 123, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("relay-chat-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Messages_outlive_a_restart_the_newest_are_shown_live_and_every_one_is_evidence()
    {
        RelayDatabase database = await MigratedAsync();
        var before = new ChatHistory(database, capacity: 3);
        for (int i = 0; i < 5; i++)
        {
            before.Add("s1", Message(i));
        }

        before.Add("s2", Message(9));

        var restarted = new ChatHistory(database, capacity: 3);

        Assert.Equal(["2", "3", "4"], restarted.Get("s1").Select(static m => m.Text));
        Assert.Equal([Message(0), Message(1), Message(2), Message(3), Message(4)], restarted.All("s1"));
        Assert.Equal([Message(9)], restarted.All("s2"));
        Assert.Empty(restarted.All("none"));
    }

    [Fact]
    public async Task Hostile_text_comes_back_exactly_as_it_was_said()
    {
        RelayDatabase database = await MigratedAsync();
        string[] texts = ["'; DROP TABLE chat_messages; --", "<script>alert(1)</script>", "\"quoted\" \\ back", "red door \u2764\ufe0f \ud83d\ude93", "line\nbreak"];
        var history = new ChatHistory(database);
        foreach (string text in texts)
        {
            history.Add("s", new ChatMessage(ChatSender.Officer, "o'brien", text, s_start));
        }

        Assert.Equal(texts, new ChatHistory(database).All("s").Select(static m => m.Text));
    }

    [Fact]
    public async Task Removing_a_session_erases_its_messages_and_counts_them_and_leaves_the_others()
    {
        RelayDatabase database = await MigratedAsync();
        var history = new ChatHistory(database);
        history.Add("gone", Message(1));
        history.Add("gone", Message(2));
        history.Add("kept", Message(3));

        Assert.Equal(2, history.Remove("gone"));

        Assert.Empty(new ChatHistory(database).All("gone"));
        Assert.Empty(history.Get("gone"));
        Assert.Equal([Message(3)], new ChatHistory(database).All("kept"));
    }

    [Fact]
    public async Task A_message_the_database_cannot_keep_throws_and_is_not_shown_either()
    {
        RelayDatabase database = await MigratedAsync();
        var history = new ChatHistory(database);
        history.Add("s", Message(1));
        await using (SqliteConnection connection = await database.OpenAsync())
        {
            await using SqliteCommand drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE chat_messages";
            await drop.ExecuteNonQueryAsync();
        }

        Assert.Throws<SqliteException>(() => history.Add("s", Message(2)));

        Assert.Equal([Message(1)], history.Get("s"));
    }

    private static ChatMessage Message(int i) =>
        new(i % 2 == 0 ? ChatSender.Caller : ChatSender.Officer, i % 2 == 0 ? null : "officer1", i.ToString(System.Globalization.CultureInfo.InvariantCulture), s_start.AddSeconds(i));

    private async Task<RelayDatabase> MigratedAsync()
    {
        var database = new RelayDatabase(Path.Combine(_directory, "relay.db"), [ChatSchema.Module]);
        await database.MigrateAsync();
        return database;
    }
}
