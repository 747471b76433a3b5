using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Relay.Server.Sessions;

/// <summary>
/// Which sessions' state may just have changed: the session store (a session went live or ended),
/// the media (a stream went live, lost its publisher or ended) and the location sockets say so here
/// as it happens, and <see cref="Location.SessionStateWatcher"/> works out each one's new state and
/// pushes it to its sockets. A session already waiting to be looked at is queued once.
/// </summary>
internal sealed class SessionStateChanges
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    /// <summary>Cheap and never blocks: safe from a media worker or a timer.</summary>
    public void Changed(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (_queued.TryAdd(sessionId, 0))
        {
            _queue.Writer.TryWrite(sessionId);
        }
    }

    /// <summary>The next session to look at; its later changes queue it again from the moment it is taken.</summary>
    public async ValueTask<string> NextAsync(CancellationToken cancellationToken)
    {
        string sessionId = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _queued.TryRemove(sessionId, out _);
        return sessionId;
    }
}
