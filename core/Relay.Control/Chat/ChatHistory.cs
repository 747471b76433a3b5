using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Relay.Control.Data;

namespace Relay.Control.Chat;

/// <summary>
/// Each session's chat. Given the relay's database (module <see cref="ChatSchema"/>), every message is
/// written there before it is relayed, so the chat outlives a restart and goes with the session's
/// evidence (export, subject access, disposal); the newest <see cref="Capacity"/> per session are also
/// kept in memory for officers joining late. Without a database (unit tests) it is memory only. Thread-safe.
/// </summary>
/// <remarks>
/// Writes are synchronous: a person types a message every few seconds at most, SQLite commits it in
/// about a millisecond, and a message that cannot be kept should be refused to its sender, not lost.
/// </remarks>
public sealed class ChatHistory
{
    public const int DefaultCapacity = 200;

    private readonly RelayDatabase? _database;
    private readonly ConcurrentDictionary<string, Queue<ChatMessage>> _sessions = new(StringComparer.Ordinal);

    public ChatHistory(RelayDatabase? database = null, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _database = database;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Keeps <paramref name="message"/>; throws <see cref="SqliteException"/> when the database cannot (the message must then not be relayed).</summary>
    public void Add(string sessionId, ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(message);
        Queue<ChatMessage> queue = Cached(sessionId);
        lock (queue)
        {
            if (_database is not null)
            {
                Insert(_database, sessionId, message);
            }

            if (queue.Count == Capacity)
            {
                queue.Dequeue();
            }

            queue.Enqueue(message);
        }
    }

    /// <summary>The session's newest messages (at most <see cref="Capacity"/>), oldest first.</summary>
    public IReadOnlyList<ChatMessage> Get(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        Queue<ChatMessage> queue = Cached(sessionId);
        lock (queue)
        {
            return [.. queue];
        }
    }

    /// <summary>Every message of the session, oldest first: the evidence (memory only without a database).</summary>
    public IReadOnlyList<ChatMessage> All(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return _database is null ? Get(sessionId) : Read(_database, sessionId, limit: -1);
    }

    /// <summary>Erases the session's chat everywhere; the number of messages erased.</summary>
    public int Remove(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        int erased = _database is null ? Get(sessionId).Count : Delete(_database, sessionId);
        _sessions.TryRemove(sessionId, out _);
        return erased;
    }

    // After a restart the memory is empty: the newest messages are read back once.
    private Queue<ChatMessage> Cached(string sessionId) =>
        _sessions.GetOrAdd(sessionId, static (id, self) =>
            self._database is null ? new Queue<ChatMessage>() : new Queue<ChatMessage>(Read(self._database, id, self.Capacity)), this);

    private static void Insert(RelayDatabase database, string sessionId, ChatMessage message)
    {
        using SqliteConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO chat_messages (session_id, sender, author, text, received_at) VALUES ($session, $sender, $author, $text, $at)";
        insert.Parameters.AddWithValue("$session", sessionId);
        insert.Parameters.AddWithValue("$sender", message.From == ChatSender.Caller ? "caller" : "officer");
        insert.Parameters.AddWithValue("$author", (object?)message.Author ?? DBNull.Value);
        insert.Parameters.AddWithValue("$text", message.Text);
        insert.Parameters.AddWithValue("$at", Microseconds(message.Time));
        insert.ExecuteNonQuery();
    }

    // The newest `limit` messages (all when negative), returned oldest first.
    private static List<ChatMessage> Read(RelayDatabase database, string sessionId, int limit)
    {
        using SqliteConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT sender, author, text, received_at FROM chat_messages WHERE session_id = $session ORDER BY seq DESC LIMIT $limit";
        select.Parameters.AddWithValue("$session", sessionId);
        select.Parameters.AddWithValue("$limit", limit);
        var messages = new List<ChatMessage>();
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            ChatSender from = reader.GetString(0) == "caller" ? ChatSender.Caller : ChatSender.Officer;
            string? author = reader.IsDBNull(1) ? null : reader.GetString(1);
            messages.Add(new ChatMessage(from, author, reader.GetString(2), DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(3) * 10)));
        }

        messages.Reverse();
        return messages;
    }

    private static int Delete(RelayDatabase database, string sessionId)
    {
        using SqliteConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        using SqliteCommand delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM chat_messages WHERE session_id = $session";
        delete.Parameters.AddWithValue("$session", sessionId);
        return delete.ExecuteNonQuery();
    }

    private static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
