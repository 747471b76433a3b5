using System.Net.WebSockets;
using System.Threading.Channels;

namespace Relay.Server.Location;

/// <summary>
/// One WebSocket of a session (the caller's or an officer's) with its own bounded send queue and
/// send loop, so a slow reader never holds up the others: when its queue is full it is closed
/// (it reconnects and gets a fresh snapshot) rather than holding up the fan-out or growing.
/// </summary>
internal sealed class LiveSocket : IDisposable
{
    public const int SendQueueCapacity = 256;

    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(SendQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _closing = new();
    private volatile bool _withdrawn;

    public LiveSocket(WebSocket socket, string who)
    {
        _socket = socket;
        Who = who;
    }

    /// <summary>"caller" or the officer's name, for logs and chat.</summary>
    public string Who { get; }

    /// <summary>Whether an officer person holds it (not an API key, not the caller): a withdrawn share closes it.</summary>
    public bool IsPerson { get; init; }

    /// <summary>Messages that could not be queued (the socket was closed for it).</summary>
    public bool Overflowed { get; private set; }

    public CancellationToken Closing => _closing.Token;

    /// <summary>Queues a message; false (and the socket is being closed) when its queue is full.</summary>
    public bool Send(ReadOnlyMemory<byte> utf8Json)
    {
        if (_queue.Writer.TryWrite(utf8Json))
        {
            return true;
        }

        Overflowed = true;
        Close();
        return false;
    }

    /// <summary>Stops sending; the send loop closes the socket after what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// The person's access was withdrawn: sends <paramref name="utf8Json"/> (it says so) and closes the socket after it
    /// with <see cref="WithdrawnCloseStatus"/>, which tells the player not to reconnect.
    /// </summary>
    public void Withdraw(ReadOnlyMemory<byte> utf8Json)
    {
        _withdrawn = true;
        Send(utf8Json);
        Complete();
    }

    /// <summary>The close code of a socket whose access was withdrawn (application range, as HTTP's 403).</summary>
    public const WebSocketCloseStatus WithdrawnCloseStatus = (WebSocketCloseStatus)4403;

    /// <summary>Stops at once, dropping what is queued.</summary>
    public void Close()
    {
        _queue.Writer.TryComplete();
        _closing.Cancel();
    }

    /// <summary>Sends queued messages until <see cref="Complete"/> or <see cref="Close"/>, then closes the socket (with a normal close after <see cref="Complete"/>).</summary>
    public async Task RunSendLoopAsync(CancellationToken aborted)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        try
        {
            await foreach (ReadOnlyMemory<byte> message in _queue.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, linked.Token).ConfigureAwait(false);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await (_withdrawn
                    ? _socket.CloseOutputAsync(WithdrawnCloseStatus, "access withdrawn", timeout.Token)
                    : _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "session ended", timeout.Token)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            if (Overflowed)
            {
                _socket.Abort();
            }
        }
        catch (WebSocketException)
        {
            // The other end went away; the receive loop sees it too.
        }
    }

    public void Dispose() => _closing.Dispose();
}
