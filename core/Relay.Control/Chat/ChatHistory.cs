using System.Collections.Concurrent;

namespace Relay.Control.Chat;

/// <summary>
/// Each session's chat, the newest <see cref="Capacity"/> messages per session, so an officer
/// joining late sees what was said. Thread-safe.
/// </summary>
public sealed class ChatHistory
{
    public const int DefaultCapacity = 200;

    private readonly ConcurrentDictionary<string, Queue<ChatMessage>> _sessions = new(StringComparer.Ordinal);

    public ChatHistory(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public void Add(string sessionId, ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(message);
        Queue<ChatMessage> queue = _sessions.GetOrAdd(sessionId, static _ => new Queue<ChatMessage>());
        lock (queue)
        {
            if (queue.Count == Capacity)
            {
                queue.Dequeue();
            }

            queue.Enqueue(message);
        }
    }

    /// <summary>The session's messages, oldest first.</summary>
    public IReadOnlyList<ChatMessage> Get(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out Queue<ChatMessage>? queue))
        {
            return [];
        }

        lock (queue)
        {
            return [.. queue];
        }
    }

    public void Remove(string sessionId) => _sessions.TryRemove(sessionId, out _);
}
