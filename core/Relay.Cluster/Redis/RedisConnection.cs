using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Relay.Cluster.Redis;

/// <summary>
/// The node's one connection to the cluster's Redis. Connecting never blocks or fails the node: it starts in the
/// background and StackExchange.Redis keeps retrying (<c>abortConnect=false</c>), and while Redis is unreachable
/// <see cref="Status"/> says since when and why, for the Nodes page and <c>/healthz/cluster</c>. Media and the HTTP
/// API never wait on it.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly string _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<ConnectionMultiplexer> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionMultiplexer? _multiplexer;
    private ClusterConnectionStatus _status;
    private bool _disposed;
    private bool _outageLogged;
    private int _started;

    public RedisConnection(string configuration, TimeProvider time, ILogger<RedisConnection> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _configuration = configuration;
        _time = time;
        _logger = logger;
        _status = new ClusterConnectionStatus(configuration, false, time.GetUtcNow(), "Not connected yet.");
    }

    /// <summary>Whether Redis answers now, and since when it has (or has not).</summary>
    public ClusterConnectionStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Starts connecting in the background, once however often it is called; returns at once.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(ConnectAsync);
        }
    }

    /// <summary>The multiplexer once it exists (it may still be reconnecting): null before the first attempt ends.</summary>
    internal ConnectionMultiplexer? Multiplexer => Volatile.Read(ref _multiplexer);

    /// <summary>Completes when the first attempt to connect has ended (connected or not; the client keeps retrying).</summary>
    public Task Ready => _connected.Task;

    internal Task<ConnectionMultiplexer> MultiplexerReady => _connected.Task;

    /// <summary>The database, or a clear exception while there is no multiplexer yet.</summary>
    internal IDatabase Database() =>
        (Multiplexer ?? throw new ClusterUnavailableException($"Redis at {_configuration} has not been reached yet.")).GetDatabase();

    [SuppressMessage("Design", "CA1031", Justification = "Connecting is retried by the multiplexer; a failure here must never reach the host.")]
    private async Task ConnectAsync()
    {
        try
        {
            ConfigurationOptions options = ConfigurationOptions.Parse(_configuration);
            options.AbortOnConnectFail = false;
            options.ClientName ??= "relay";
            options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
            options.SyncTimeout = Math.Min(options.SyncTimeout, 2000);
            ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            multiplexer.ConnectionFailed += (_, e) => ReportFailure(Describe(e.FailureType));
            multiplexer.ConnectionRestored += (_, _) => Restored();
            lock (_gate)
            {
                if (_disposed)
                {
                    multiplexer.Dispose();
                    return;
                }

                _multiplexer = multiplexer;
            }

            if (multiplexer.IsConnected)
            {
                Restored();
            }
            else
            {
                ReportFailure("Redis did not answer; retrying.");
            }

            _connected.TrySetResult(multiplexer);
        }
        catch (Exception e)
        {
            // A bad configuration string: the node stays single and says why.
            ReportFailure(Describe(e));
            Log.ConnectFailed(_logger, _configuration, e);
        }
    }

    /// <summary>Records that an operation against Redis failed with <paramref name="exception"/>, said plainly.</summary>
    public void ReportFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ReportFailure(Describe(exception));
    }

    /// <summary>
    /// What went wrong in words for the Nodes page and the log; StackExchange.Redis's own messages carry a line of
    /// diagnostics (buffers, timers) that tells an engineer at the page nothing.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RedisConnectionException connection => Describe(connection.FailureType),
            TimeoutException => "Redis did not answer in time.",
            ClusterUnavailableException => exception.Message,
            _ => FirstSentence(exception.Message),
        };
    }

    internal static string Describe(ConnectionFailureType failure) => failure switch
    {
        ConnectionFailureType.SocketClosed => "The connection to Redis was closed.",
        ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection => "Redis cannot be connected to.",
        ConnectionFailureType.SocketFailure => "The connection to Redis failed.",
        ConnectionFailureType.AuthenticationFailure => "Redis refused this node's credentials.",
        ConnectionFailureType.Loading => "Redis is still loading its data.",
        ConnectionFailureType.ProtocolFailure => "Redis answered something this node cannot read.",
        _ => "The connection to Redis failed (" + failure + ").",
    };

    private static string FirstSentence(string message)
    {
        int end = message.IndexOfAny(['.', ';', '\n']);
        string first = end < 0 ? message : message[..(end + 1)];
        return first.Length > 200 ? first[..200] : first;
    }

    /// <summary>Records that an operation against Redis failed (the multiplexer's own events can lag behind); logged once an outage.</summary>
    public void ReportFailure(string reason)
    {
        bool log;
        lock (_gate)
        {
            log = !_outageLogged;
            _outageLogged = true;
            _status = new ClusterConnectionStatus(_configuration, false, _status.Connected ? _time.GetUtcNow() : _status.Since, reason);
        }

        if (log)
        {
            Log.Unreachable(_logger, _configuration, reason);
        }
    }

    private void Restored()
    {
        bool changed;
        lock (_gate)
        {
            changed = !_status.Connected;
            if (changed)
            {
                _status = new ClusterConnectionStatus(_configuration, true, _time.GetUtcNow(), null);
                _outageLogged = false;
            }
        }

        if (changed)
        {
            Log.Connected(_logger, _configuration);
        }
    }

    /// <summary>Records that an operation succeeded: Redis answers.</summary>
    internal void Succeeded() => Restored();

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer? multiplexer;
        lock (_gate)
        {
            _disposed = true;
            multiplexer = _multiplexer;
            _multiplexer = null;
        }

        if (multiplexer is not null)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            multiplexer.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Cluster: connected to Redis at {Redis}")]
        public static partial void Connected(ILogger logger, string redis);

        [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Cluster: Redis at {Redis} is unreachable ({Reason}); media and the HTTP API carry on, other nodes' figures and tuning messages wait until it is back")]
        public static partial void Unreachable(ILogger logger, string redis, string reason);

        [LoggerMessage(EventId = 902, Level = LogLevel.Error, Message = "Cluster: cannot connect to Redis with '{Redis}'; this node runs alone")]
        public static partial void ConnectFailed(ILogger logger, string redis, Exception exception);
    }
}
