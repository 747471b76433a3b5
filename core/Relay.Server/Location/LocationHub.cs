using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Relay.Control.Chat;
using Relay.Control.Location;
using Relay.Server.Media;
using Relay.Server.Sessions;

namespace Relay.Server.Location;

/// <summary>
/// Location and chat for every session on this node. The caller's socket sends positions and chat;
/// each valid position is kept in the session's trail and fanned out, with its British National
/// Grid position, to every officer socket; chat goes to everyone in the session; officers can ask
/// for a keyframe. Every socket has its own bounded queue, so one slow officer never holds up the
/// rest. A bad message is answered with an error message and counted, never fatal.
/// </summary>
internal sealed partial class LocationHub
{
    /// <summary>Larger than any position or chat message (1,000 characters, escaped, is under 7 KB).</summary>
    public const int MaxMessageBytes = 8 * 1024;

    /// <summary>Positions a caller may send per second; a phone sends one a second or so.</summary>
    public const int MaxPositionsPerSecond = 5;

    private readonly ConcurrentDictionary<string, SessionChannel> _channels = new(StringComparer.Ordinal);
    private readonly LocationDirectory _locations;
    private readonly ChatHistory _chat;
    private readonly PositionValidator _validator;
    private readonly ISessionLiveState _sessions;
    private readonly TimeProvider _time;
    private readonly IOptions<MediaNodeOptions> _media;
    private readonly SessionStateChanges _changes;
    private readonly ILogger<LocationHub> _logger;
    private long _invalidMessages;
    private long _overflowedSockets;
    private long _positions;

    public LocationHub(
        LocationDirectory locations,
        ChatHistory chat,
        ISessionLiveState sessions,
        TimeProvider time,
        IOptions<MediaNodeOptions> media,
        SessionStateChanges changes,
        ILogger<LocationHub> logger)
    {
        ArgumentNullException.ThrowIfNull(media);
        _locations = locations;
        _chat = chat;
        _sessions = sessions;
        _time = time;
        _validator = new PositionValidator(time);
        // Read when used: reading it here would validate the media options before the host lists every configuration mistake.
        _media = media;
        _changes = changes;
        _logger = logger;
    }

    /// <summary>Messages refused (not JSON, too large, binary, unknown type, invalid fields, too many positions).</summary>
    public long InvalidMessages => Interlocked.Read(ref _invalidMessages);

    /// <summary>Sockets closed because they could not keep up.</summary>
    public long OverflowedSockets => Interlocked.Read(ref _overflowedSockets);

    /// <summary>Positions accepted.</summary>
    public long Positions => Interlocked.Read(ref _positions);

    public int ChannelCount => _channels.Count;

    /// <summary>Serves one caller socket until it closes or the session ends.</summary>
    public Task RunCallerAsync(string sessionId, WebSocket socket, CancellationToken aborted) =>
        RunAsync(sessionId, socket, isCaller: true, "caller", aborted);

    /// <summary>
    /// Closes every location and chat socket the person <paramref name="officer"/> (names compare regardless of case;
    /// an API key of the same name is someone else) has open on <paramref name="sessionId"/>, after telling it why; how many there were.
    /// </summary>
    public int Withdraw(string sessionId, string officer)
    {
        if (!_channels.TryGetValue(sessionId, out SessionChannel? channel))
        {
            return 0;
        }

        int closed = 0;
        foreach (LiveSocket socket in channel.Officers)
        {
            if (socket.IsPerson && string.Equals(socket.Who, officer, StringComparison.OrdinalIgnoreCase))
            {
                socket.Withdraw(LocationMessages.Withdrawn());
                closed++;
            }
        }

        return closed;
    }

    /// <summary>Serves one officer socket until it closes or the session ends.</summary>
    public Task RunOfficerAsync(string sessionId, string officer, WebSocket socket, CancellationToken aborted) =>
        RunAsync(sessionId, socket, isCaller: false, officer, aborted);

    /// <summary>As <see cref="RunOfficerAsync(string, string, WebSocket, CancellationToken)"/>, for a person (not an API key) whose access a withdrawn share ends.</summary>
    public Task RunPersonAsync(string sessionId, string officer, WebSocket socket, CancellationToken aborted) =>
        RunAsync(sessionId, socket, isCaller: false, officer, aborted, person: true);

    /// <summary>Works out the session's state and tells its sockets if it changed; nothing if no socket of it is open here.</summary>
    public async Task RefreshAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_channels.TryGetValue(sessionId, out SessionChannel? channel))
        {
            await RefreshAsync(channel, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues every session with open sockets to be looked at again (the watcher's safety net).</summary>
    public void MarkAllChanged()
    {
        foreach (KeyValuePair<string, SessionChannel> entry in _channels)
        {
            _changes.Changed(entry.Key);
        }
    }

    private async Task RunAsync(string sessionId, WebSocket socket, bool isCaller, string who, CancellationToken aborted, bool person = false)
    {
        SessionChannel channel = _channels.GetOrAdd(sessionId, static id => new SessionChannel(id));
        var live = new LiveSocket(socket, who) { IsPerson = person };
        if (isCaller)
        {
            channel.AddCaller(live);
        }
        else
        {
            channel.AddOfficer(live);
        }

        Task sending = live.RunSendLoopAsync(aborted);
        try
        {
            string mode = await RefreshAsync(channel, aborted).ConfigureAwait(false);
            live.Send(LocationMessages.Snapshot(
                channel.State ?? "waiting",
                mode,
                isCaller ? [] : _locations.GetTrail(sessionId),
                _chat.Get(sessionId)));
            if (channel.State == "ended")
            {
                live.Complete();
            }

            await ReceiveAsync(channel, live, socket, isCaller, aborted).ConfigureAwait(false);
        }
        finally
        {
            if (isCaller)
            {
                // Without its caller a session is reconnecting, then gone: say so now.
                channel.RemoveCaller(live, _time.GetUtcNow());
                _changes.Changed(sessionId);
            }
            else
            {
                channel.RemoveOfficer(live);
            }

            live.Close();
            await sending.ConfigureAwait(false);
            live.Dispose();
            if (live.Overflowed)
            {
                Interlocked.Increment(ref _overflowedSockets);
                Log.SocketOverflowed(_logger, sessionId, who);
            }
        }
    }

    private async Task ReceiveAsync(SessionChannel channel, LiveSocket live, WebSocket socket, bool isCaller, CancellationToken aborted)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, live.Closing);
        byte[] buffer = new byte[MaxMessageBytes];
        var bucket = new PositionBucket(_time);
        try
        {
            while (true)
            {
                int length = 0;
                bool tooLarge = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        // Too large: read the rest of the message into the same buffer and drop it.
                        tooLarge = true;
                        length = 0;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), linked.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                string? error = tooLarge ? $"message too large (at most {MaxMessageBytes} bytes)"
                    : result.MessageType != WebSocketMessageType.Text ? "send JSON text messages, not binary"
                    : Handle(channel, live, isCaller, buffer.AsMemory(0, length), ref bucket);
                if (error is not null)
                {
                    Interlocked.Increment(ref _invalidMessages);
                    Log.InvalidMessage(_logger, channel.SessionId, live.Who, error);
                    live.Send(LocationMessages.Error(error));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    private string? Handle(SessionChannel channel, LiveSocket live, bool isCaller, ReadOnlyMemory<byte> message, ref PositionBucket bucket)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return "not valid JSON";
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
            {
                return "a message is a JSON object with a string \"type\"";
            }

            if (channel.State == "ended")
            {
                return "the session has ended";
            }

            return (isCaller, type.GetString()) switch
            {
                (true, "position") => bucket.TryTake() ? OnPosition(channel, root) : $"too many positions (at most {MaxPositionsPerSecond} a second)",
                (_, "chat") => OnChat(channel, isCaller ? null : live.Who, root),
                (false, "keyframe") => _sessions.RequestKeyframe(channel.SessionId) ? null : "the session has no live video to ask a keyframe of",
                (true, _) => "unknown type; a caller sends \"position\" or \"chat\"",
                (false, _) => "unknown type; an officer sends \"chat\" or \"keyframe\"",
            };
        }
    }

    private string? OnPosition(SessionChannel channel, JsonElement root)
    {
        var report = new PositionReport(
            Number(root, "lat"), Number(root, "lon"), Number(root, "accuracy"), Number(root, "heading"), Number(root, "speed"), Number(root, "time"));
        string? error = _validator.Validate(report, out LocationFix? fix);
        if (error is not null)
        {
            return "position refused: " + error;
        }

        _locations.Add(channel.SessionId, fix!);
        Interlocked.Increment(ref _positions);
        channel.SendToOfficers(LocationMessages.Position(fix!));
        return null;
    }

    private string? OnChat(SessionChannel channel, string? officer, JsonElement root)
    {
        string? text = root.TryGetProperty("text", out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string? error = ChatText.Validate(text, out string trimmed);
        if (error is not null)
        {
            return "chat refused: " + error;
        }

        var message = new ChatMessage(officer is null ? ChatSender.Caller : ChatSender.Officer, officer, trimmed, _time.GetUtcNow());
        try
        {
            _chat.Add(channel.SessionId, message);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // The chat is evidence: a message that cannot be kept is not relayed, and its sender is told.
            return "chat refused: the message could not be saved; send it again";
        }

        byte[] json = LocationMessages.Chat(message);
        channel.SendToOfficers(json);
        channel.SendToCallers(json);
        return null;
    }

    // Missing or null is null; a number is itself; anything else is NaN, which the validator refuses.
    private static double? Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) ? number : double.NaN;
    }

    /// <summary>The session's mode; sends the state to every socket when it changed, and closes them all when it has ended.</summary>
    private async Task<string> RefreshAsync(SessionChannel channel, CancellationToken cancellationToken)
    {
        SessionLiveFacts? facts = await _sessions.GetAsync(channel.SessionId, cancellationToken).ConfigureAwait(false);
        string mode = facts?.Mode ?? "video";
        string state = Derive(channel, facts);
        lock (channel)
        {
            // Ended is final: a refresh that read the session before it ended must not undo it.
            if (channel.State == "ended")
            {
                state = "ended";
            }

            ScheduleGraceEnd(channel, state);
            if (state != channel.State)
            {
                channel.State = state;
                byte[] json = LocationMessages.State(state, mode);
                channel.SendToOfficers(json);
                channel.SendToCallers(json);
                Log.StateChanged(_logger, channel.SessionId, state);
            }

            if (state == "ended")
            {
                channel.CompleteAll();
                if (channel.IsEmpty)
                {
                    _channels.TryRemove(new KeyValuePair<string, SessionChannel>(channel.SessionId, channel));
                    channel.GraceTimer?.Dispose();
                    channel.GraceTimer = null;
                }
            }
        }

        return mode;
    }

    /// <summary>waiting (nothing yet), live, reconnecting (the caller's media or socket is away within the grace period), gone (away longer), ended.</summary>
    private string Derive(SessionChannel channel, SessionLiveFacts? facts)
    {
        if (facts is null || facts.Ended)
        {
            return "ended";
        }

        if (facts.Mode == "video")
        {
            switch (facts.MediaState)
            {
                case "live":
                    channel.MediaSeen = true;
                    return "live";
                case "reconnecting":
                    return "reconnecting";
                default:
                    if (!channel.MediaSeen)
                    {
                        return "waiting";
                    }

                    return channel.HasCaller || WithinGrace(channel) ? "reconnecting" : "gone";
            }
        }

        if (channel.HasCaller)
        {
            return "live";
        }

        return !channel.CallerSeen ? "waiting" : WithinGrace(channel) ? "reconnecting" : "gone";
    }

    /// <summary>
    /// Reconnecting because the caller left lately becomes gone when the grace period ends, with nothing
    /// else happening: a timer queues the session to be looked at then. Under the channel's lock.
    /// </summary>
    private void ScheduleGraceEnd(SessionChannel channel, string state)
    {
        channel.GraceTimer?.Dispose();
        channel.GraceTimer = null;
        if (state != "reconnecting" || channel.HasCaller || channel.CallerLeftAt is not DateTimeOffset left)
        {
            return;
        }

        TimeSpan due = left + _media.Value.PublisherGracePeriod - _time.GetUtcNow();
        channel.GraceTimer = _time.CreateTimer(
            static state =>
            {
                (SessionStateChanges changes, string id) = ((SessionStateChanges, string))state!;
                changes.Changed(id);
            },
            (_changes, channel.SessionId),
            due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Timeout.InfiniteTimeSpan);
    }

    private bool WithinGrace(SessionChannel channel) =>
        channel.CallerLeftAt is DateTimeOffset left && _time.GetUtcNow() - left < _media.Value.PublisherGracePeriod;

    /// <summary>A token bucket of <see cref="MaxPositionsPerSecond"/>, refilled continuously.</summary>
    private struct PositionBucket(TimeProvider time)
    {
        private double _tokens = MaxPositionsPerSecond;
        private long _last = time.GetTimestamp();

        public bool TryTake()
        {
            long now = time.GetTimestamp();
            _tokens = Math.Min(MaxPositionsPerSecond, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * MaxPositionsPerSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Location: session {SessionId}, {Who} sent an invalid message: {Error}")]
        public static partial void InvalidMessage(ILogger logger, string sessionId, string who, string error);

        [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Location: session {SessionId}, {Who} could not keep up with its messages and was disconnected")]
        public static partial void SocketOverflowed(ILogger logger, string sessionId, string who);

        [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Location: session {SessionId} is {State}")]
        public static partial void StateChanged(ILogger logger, string sessionId, string state);
    }
}
