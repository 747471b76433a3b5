using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Options;
using Relay.Media.Streams;
using Relay.Server.Media;
using Relay.Server.Metrics;
using Relay.Server.Recording;
using Relay.Server.Sessions;
using Relay.Transport.Peers;

namespace Relay.Server.Streams;

/// <summary>
/// The node's streams, one per session that has had a publisher. Ticks them from the media node's
/// timer, forgets viewers whose transport has ended and streams the fan-out has ended (after the
/// publisher's grace period), and keeps the counters of ended ones for the metrics.
/// </summary>
internal sealed class StreamRegistry : INodeWork, ISessionMedia, IStreamMetricsSource, IDisposable
{
    private readonly MediaNode _node;
    private readonly IOptionsMonitor<MediaNodeOptions> _options;
    private readonly RecordingService? _recording;
    private readonly Action<string>? _stateChanged;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RelayStream> _streams = new(StringComparer.Ordinal);
    private readonly StreamTotals _ended = new();
    private RelayStream[] _tickSnapshot = [];
    private long _tickErrors;

    /// <param name="node">The media node whose timer ticks the streams.</param>
    /// <param name="options">The node's media options, read as each stream is made (so a setting changed on the Tuning page applies to the next stream).</param>
    /// <param name="recording">Records every stream; null for none.</param>
    /// <param name="changes">Told when a stream's state changes, so sessions' sockets hear it at once; null for none.</param>
    public StreamRegistry(MediaNode node, IOptionsMonitor<MediaNodeOptions> options, RecordingService? recording = null, SessionStateChanges? changes = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        _node = node;
        _options = options;
        _recording = recording;
        _stateChanged = changes is null ? null : changes.Changed;
        node.AddWork(this);
    }

    public int StreamCount
    {
        get
        {
            lock (_lock)
            {
                return _streams.Count;
            }
        }
    }

    public int ViewerCount
    {
        get
        {
            int viewers = 0;
            lock (_lock)
            {
                foreach (RelayStream stream in _streams.Values)
                {
                    viewers += stream.Media.SubscriberCount;
                }
            }

            return viewers;
        }
    }

    public long NacksReceived => Totals().NacksReceived;

    public long RetransmissionsSent => Totals().RetransmissionsSent;

    /// <summary>The session's stream, made if it has none (or only an ended one).</summary>
    public RelayStream GetOrCreate(string sessionId)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(sessionId, out RelayStream? stream) && stream.Media.State != MediaStreamState.Ended)
            {
                return stream;
            }

            if (stream is not null)
            {
                _ended.Add(stream.Media.Counters);
            }

            // Read now, not at start: settings changed in operation (the Tuning page) apply to streams
            // made from here on. A stream keeps the values it was made with until it ends.
            MediaNodeOptions node = _options.CurrentValue;
            var options = new MediaStreamOptions
            {
                PublisherGracePeriod = node.PublisherGracePeriod,
                ViewerPacketLossForTesting = node.ViewerPacketLossForTesting,
                MaxRetransmissionBytesPerSecond = node.MaxRetransmissionBytesPerSecond,
                PacketCacheCapacity = node.PacketCacheCapacity,
                KeyframeRequestInterval = node.KeyframeRequestInterval,
            };
            stream = new RelayStream(sessionId, new MediaStream(sessionId, options, _node.Pool, _node.TimeProvider, _recording?.StartRecording(sessionId), _stateChanged));
            _streams[sessionId] = stream;
            return stream;
        }
    }

    public RelayStream? Find(string sessionId)
    {
        lock (_lock)
        {
            return _streams.TryGetValue(sessionId, out RelayStream? stream) && stream.Media.State != MediaStreamState.Ended ? stream : null;
        }
    }

    public SessionMediaResponse Describe(string sessionId)
    {
        RelayStream? stream = Find(sessionId);
        if (stream is null)
        {
            return SessionMediaResponse.None;
        }

        string state = stream.Media.State switch
        {
            MediaStreamState.WaitingForPublisher => "waiting",
            MediaStreamState.Live => "live",
            MediaStreamState.PublisherGone => "reconnecting",
            _ => "ended",
        };
        return new SessionMediaResponse(state, stream.Media.SubscriberCount);
    }

    public void End(string sessionId)
    {
        RelayStream? stream;
        lock (_lock)
        {
            if (!_streams.Remove(sessionId, out stream))
            {
                return;
            }

            _ended.Add(stream.Media.Counters);
        }

        // Outside the lock: disposing the stream disposes its peers.
        stream.Media.Dispose();
    }

    /// <summary>Ends every stream (at shutdown): their viewers' and publishers' transports are disposed.</summary>
    public void Dispose()
    {
        RelayStream[] streams;
        lock (_lock)
        {
            streams = [.. _streams.Values];
            _streams.Clear();
        }

        _node.RemoveWork(this);
        foreach (RelayStream stream in streams)
        {
            stream.Media.Dispose();
        }
    }

    public StreamMetricsSnapshot Snapshot()
    {
        StreamTotals totals = Totals();
        var drops = new List<(string, long)>(StreamTotals.DropReasons.Length);
        for (int i = 0; i < StreamTotals.DropReasons.Length; i++)
        {
            drops.Add((SnakeCase(StreamTotals.DropReasons[i].ToString()), totals.Drops[i]));
        }

        return new StreamMetricsSnapshot(totals.PlisReceived, totals.FirsReceived, totals.KeyframeRequestsSent, drops);
    }

    public void Tick(long nowTimestamp)
    {
        int count;
        lock (_lock)
        {
            count = _streams.Count;
            if (_tickSnapshot.Length < count)
            {
                _tickSnapshot = new RelayStream[Math.Max(count, _tickSnapshot.Length * 2)];
            }

            _streams.Values.CopyTo(_tickSnapshot, 0);
        }

        bool anyEnded = false;
        for (int i = 0; i < count; i++)
        {
            RelayStream stream = _tickSnapshot[i];
            _tickSnapshot[i] = null!;
            TickGuarded(stream, nowTimestamp);
            anyEnded |= stream.Media.State == MediaStreamState.Ended;
        }

        if (anyEnded)
        {
            lock (_lock)
            {
                List<string>? ended = null;
                foreach (KeyValuePair<string, RelayStream> entry in _streams)
                {
                    if (entry.Value.Media.State == MediaStreamState.Ended)
                    {
                        (ended ??= []).Add(entry.Key);
                    }
                }

                foreach (string id in ended ?? [])
                {
                    _streams.Remove(id, out RelayStream? stream);
                    _ended.Add(stream!.Media.Counters);
                }
            }
        }
    }

    /// <summary>
    /// Removes (and so disconnects) every viewer of <paramref name="sessionId"/>'s stream watching as the person
    /// <paramref name="viewer"/> (names compare regardless of case; API keys are not named here); how many there were.
    /// </summary>
    public int RemoveViewersNamed(string sessionId, string viewer)
    {
        RelayStream? stream;
        lock (_lock)
        {
            _streams.TryGetValue(sessionId, out stream);
        }

        if (stream is null)
        {
            return 0;
        }

        int removed = 0;
        foreach (KeyValuePair<string, string> named in stream.ViewerNames)
        {
            if (string.Equals(named.Value, viewer, StringComparison.OrdinalIgnoreCase) && stream.Viewers.TryRemove(named.Key, out MediaSubscriber? subscriber))
            {
                stream.ViewerNames.TryRemove(named.Key, out _);
                subscriber.Dispose();
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Exceptions a stream threw from its tick; each is a bug, counted so the other streams go on.</summary>
    public long TickErrors => Interlocked.Read(ref _tickErrors);

    [SuppressMessage("Design", "CA1031", Justification = "One stream's bug must not stop the other streams' ticks; it is counted.")]
    private void TickGuarded(RelayStream stream, long nowTimestamp)
    {
        try
        {
            stream.Media.Tick(nowTimestamp);
            ForgetEndedViewers(stream);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _tickErrors);
        }
    }

    private static void ForgetEndedViewers(RelayStream stream)
    {
        if (stream.Viewers.IsEmpty)
        {
            return;
        }

        foreach (KeyValuePair<string, MediaSubscriber> viewer in stream.Viewers)
        {
            if (viewer.Value.Transport is { State: >= PeerTransportState.Failed })
            {
                stream.Viewers.TryRemove(viewer);
                stream.ViewerNames.TryRemove(viewer.Key, out _);
            }
        }
    }

    private StreamTotals Totals()
    {
        var totals = new StreamTotals();
        lock (_lock)
        {
            totals.Add(_ended);
            foreach (RelayStream stream in _streams.Values)
            {
                totals.Add(stream.Media.Counters);
            }
        }

        return totals;
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
