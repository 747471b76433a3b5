using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Relay.Protocols.Buffers;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Udp;

namespace Relay.Server.Media;

/// <summary>
/// The node's media plane: one UDP socket on <see cref="MediaNodeOptions.Port"/> with the ICE-lite
/// server on it, the DTLS certificate every answer announces, the peers created on it, and one timer
/// loop that polls the peers (DTLS retransmission) and runs <see cref="INodeWork"/> (streams).
/// </summary>
/// <remarks>
/// The loop is one dedicated thread, so ticks never overlap and all
/// periodic work runs one call at a time: stream ticks, peer polls, and every
/// <see cref="ConsentSweepInterval"/> the ICE consent sweep (the ICE-lite server's own sweep timer is
/// left only as a daily backstop).
/// </remarks>
internal sealed partial class MediaNode : IHostedService, IAsyncDisposable
{
    private readonly IOptions<MediaNodeOptions> _optionsAccessor;
    private MediaNodeOptions _options = new();
    private readonly ILogger<MediaNode> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _peersLock = new();
    private readonly List<PeerTransport> _peers = [];
    private readonly List<INodeWork> _work = [];
    private readonly PeerTotals _endedPeers = new();
    private readonly long[] _failures = new long[Enum.GetValues<PeerFailureCause>().Length];
    private PeerTransport[] _pollSnapshot = [];
    private INodeWork[] _workSnapshot = [];
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;
    private long _tickErrors;
    private long _lastConsentSweep;

    /// <summary>How often agents without a recent consent check are ended: the precision of the consent timeout.</summary>
    public static TimeSpan ConsentSweepInterval { get; } = TimeSpan.FromSeconds(1);

    public MediaNode(IOptions<MediaNodeOptions> options, ILogger<MediaNode> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Read at start, after the host has validated it, not here: resolving the node must not throw.
        _optionsAccessor = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public PacketBufferPool Pool { get; } = new PinnedPacketBufferPool();

    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The media socket; null before start, disposed (its counters still readable) after stop.</summary>
    public UdpMediaSocket? Socket { get; private set; }

    public IceLiteServer? IceServer { get; private set; }

    public DtlsCertificate? Certificate { get; private set; }

    /// <summary>The addresses and bound port the answers' candidates announce, most preferred first.</summary>
    public IReadOnlyList<IPEndPoint> Candidates { get; private set; } = [];

    /// <summary>True while the media socket is bound and receiving.</summary>
    public bool IsRunning => Socket is { } socket && !socket.Completion.IsCompleted && _stopping is { IsCancellationRequested: false };

    /// <summary>Exceptions the timer loop caught from a peer or a stream; each is a bug, counted so the loop goes on.</summary>
    public long TickErrors => Interlocked.Read(ref _tickErrors);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _options = _optionsAccessor.Value;
        IPAddress bindAddress = IPAddress.Parse(_options.BindAddress);
        UdpMediaSocket socket;
        try
        {
            socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = bindAddress, Port = _options.Port, BatchedIo = _options.BatchedIo, ReceiveThreadNice = _options.ReceiveThreadNice }, Pool, _timeProvider);
        }
        catch (SocketException e)
        {
            throw new MediaNodeStartException(
                $"The media port {bindAddress}:{_options.Port} (Relay:Media:BindAddress, Relay:Media:Port) could not be bound: {e.Message}. "
                + "Free the port, choose another, or give 0 for any free port.",
                e);
        }

        try
        {
            Certificate = LoadCertificate();
            IceServer = new IceLiteServer(
                socket,
                new IceLiteServerOptions { ConsentTimeout = _options.ConsentTimeout, ConsentSweepInterval = TimeSpan.FromDays(1) },
                _timeProvider);
            _lastConsentSweep = _timeProvider.GetTimestamp();
            Candidates = ChooseCandidates(_options, socket.LocalEndPoint);
            socket.Start(IceServer);
        }
        catch
        {
            IceServer?.Dispose();
            Certificate?.Dispose();
            socket.Dispose();
            throw;
        }

        Socket = socket;
        _stopping = new CancellationTokenSource();
        // A thread of its own rather than a PeriodicTimer on the thread pool: under load each tick
        // woke a pool worker that then spun in sched_yield, about 16 % of the relay's CPU in a
        // profile of the load suite (bench/RESULTS.md).
        var loopDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = loopDone.Task;
        CancellationToken stopping = _stopping.Token;
        new Thread(() => RunTimer(loopDone, stopping)) { IsBackground = true, Name = "media node timer" }.Start();
        Log.Started(_logger, socket.LocalEndPoint, Candidates, Certificate.Fingerprint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        PeerTransport[] peers;
        lock (_peersLock)
        {
            peers = [.. _peers];
        }

        foreach (PeerTransport peer in peers)
        {
            peer.Dispose();
        }

        // Datagrams stop first, then the agents they would be routed to.
        if (Socket is { } socket)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }

        IceServer?.Dispose();
        Log.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Certificate?.Dispose();
        _stopping?.Dispose();
    }

    /// <summary>Polls <paramref name="peer"/> from the timer until it ends, and counts its traffic afterwards.</summary>
    public void AddPeer(PeerTransport peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_peersLock)
        {
            _peers.Add(peer);
        }
    }

    /// <summary>Runs <paramref name="work"/> on every tick until <see cref="RemoveWork"/>.</summary>
    public void AddWork(INodeWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_peersLock)
        {
            _work.Add(work);
        }
    }

    public void RemoveWork(INodeWork work)
    {
        lock (_peersLock)
        {
            _work.Remove(work);
        }
    }

    /// <summary>Peers not yet ended.</summary>
    public int PeerCount
    {
        get
        {
            lock (_peersLock)
            {
                return _peers.Count;
            }
        }
    }

    /// <summary>The counters of every peer this node has had, ended or live.</summary>
    public PeerTotals GetPeerTotals()
    {
        var totals = new PeerTotals();
        lock (_peersLock)
        {
            totals.Add(_endedPeers);
            foreach (PeerTransport peer in _peers)
            {
                totals.Add(peer.Counters);
            }
        }

        return totals;
    }

    public long GetFailures(PeerFailureCause cause)
    {
        lock (_peersLock)
        {
            return _failures[(int)cause];
        }
    }

    /// <summary>The causes a failed peer's <see cref="PeerTransport.Reason"/> names.</summary>
    internal static PeerFailureCause ClassifyFailure(string? reason) =>
        reason is null ? PeerFailureCause.Other
        : reason.StartsWith("DTLS", StringComparison.Ordinal) ? PeerFailureCause.Dtls
        : reason.StartsWith("ICE consent", StringComparison.Ordinal) ? PeerFailureCause.Consent
        : reason.StartsWith("ICE", StringComparison.Ordinal) ? PeerFailureCause.Ice
        : PeerFailureCause.Other;

    internal static IReadOnlyList<IPEndPoint> ChooseCandidates(MediaNodeOptions options, IPEndPoint bound)
    {
        var addresses = new List<IPAddress>();
        if (options.PublicAddresses is { Length: > 0 } configured)
        {
            foreach (string address in configured)
            {
                addresses.Add(IPAddress.Parse(address));
            }
        }
        else if (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any))
        {
            foreach (IPAddress address in MachineIPv4Addresses())
            {
                if (addresses.Count < Relay.Control.Negotiation.LocalTransportParameters.MaxCandidates - 1 && !addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }

            addresses.Add(IPAddress.Loopback);
        }
        else
        {
            addresses.Add(bound.Address);
        }

        var candidates = new IPEndPoint[addresses.Count];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new IPEndPoint(addresses[i], bound.Port);
        }

        return candidates;
    }

    private static List<IPAddress> MachineIPv4Addresses()
    {
        var addresses = new List<IPAddress>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
            {
                IPAddress address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
                {
                    addresses.Add(address);
                }
            }
        }

        return addresses;
    }

    private DtlsCertificate LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(_options.CertificatePath))
        {
            return DtlsCertificate.Generate("relay", _timeProvider);
        }

        try
        {
            return DtlsCertificate.LoadPemFiles(_options.CertificatePath, _options.PrivateKeyPath!, _options.PrivateKeyPassword);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new MediaNodeStartException(
                $"The DTLS certificate in Relay:Media:CertificatePath '{_options.CertificatePath}' and Relay:Media:PrivateKeyPath "
                + $"'{_options.PrivateKeyPath}' could not be loaded: {e.Message}. Give a PEM certificate and its matching ECDSA or RSA key.",
                e);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failure ends the loop and is reported through _loop, as a faulted task would be.")]
    private void RunTimer(TaskCompletionSource done, CancellationToken stopping)
    {
        try
        {
            long interval = (long)(_options.TickInterval.TotalSeconds * _timeProvider.TimestampFrequency);
            long next = _timeProvider.GetTimestamp();
            while (true)
            {
                // A tick that ran long starts the cadence again from now rather than catching up.
                long now = _timeProvider.GetTimestamp();
                next = Math.Max(next + interval, now);
                if (stopping.WaitHandle.WaitOne(_timeProvider.GetElapsedTime(now, next)))
                {
                    break;
                }

                // What the tick sends (RTCP reports, NACKs, DTLS retransmissions) leaves in one sendmmsg.
                using (UdpSendBatchScope.Open())
                {
                    Tick(_timeProvider.GetTimestamp());
                }
            }

            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }

    internal void Tick(long now)
    {
        int peerCount;
        int workCount;
        lock (_peersLock)
        {
            peerCount = _peers.Count;
            if (_pollSnapshot.Length < peerCount)
            {
                _pollSnapshot = new PeerTransport[Math.Max(peerCount, _pollSnapshot.Length * 2)];
            }

            _peers.CopyTo(_pollSnapshot);
            workCount = _work.Count;
            if (_workSnapshot.Length < workCount)
            {
                _workSnapshot = new INodeWork[Math.Max(workCount, _workSnapshot.Length * 2)];
            }

            _work.CopyTo(_workSnapshot);
        }

        for (int i = 0; i < workCount; i++)
        {
            RunGuarded(_workSnapshot[i], now);
            _workSnapshot[i] = null!;
        }

        bool anyEnded = false;
        for (int i = 0; i < peerCount; i++)
        {
            PeerTransport peer = _pollSnapshot[i];
            PollGuarded(peer, now);
            anyEnded |= peer.State >= PeerTransportState.Failed;
            _pollSnapshot[i] = null!;
        }

        if (_timeProvider.GetElapsedTime(_lastConsentSweep, now) >= ConsentSweepInterval)
        {
            _lastConsentSweep = now;
            SweepConsentGuarded();
        }

        if (anyEnded)
        {
            RetireEndedPeers();
        }
    }

    private void RetireEndedPeers()
    {
        lock (_peersLock)
        {
            for (int i = _peers.Count - 1; i >= 0; i--)
            {
                PeerTransport peer = _peers[i];
                PeerTransportState state = peer.State;
                if (state < PeerTransportState.Failed)
                {
                    continue;
                }

                _peers.RemoveAt(i);
                _endedPeers.Add(peer.Counters);
                if (state == PeerTransportState.Failed)
                {
                    PeerFailureCause cause = ClassifyFailure(peer.Reason);
                    _failures[(int)cause]++;
                    Log.PeerFailed(_logger, peer.LocalIceCredentials.Ufrag, cause, peer.Reason ?? "no reason given");
                }
            }
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "One stream's bug must not stop every other stream's timer; it is counted and logged.")]
    private void RunGuarded(INodeWork work, long now)
    {
        try
        {
            work.Tick(now);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _tickErrors);
            Log.TickFailed(_logger, e);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "The sweep calls peers' handlers; a bug there must not stop the timer; it is counted and logged.")]
    private void SweepConsentGuarded()
    {
        try
        {
            IceServer?.SweepConsent();
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _tickErrors);
            Log.TickFailed(_logger, e);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "One peer's bug must not stop every other peer's DTLS timers; it is counted and logged.")]
    private void PollGuarded(PeerTransport peer, long now)
    {
        try
        {
            peer.Poll(now);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _tickErrors);
            Log.TickFailed(_logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Media port {LocalEndPoint} is up; answers announce {Candidates}; DTLS fingerprint {Fingerprint}")]
        public static partial void Started(ILogger logger, IPEndPoint localEndPoint, IReadOnlyList<IPEndPoint> candidates, DtlsFingerprint fingerprint);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Media port closed")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "A peer or stream threw from the media timer")]
        public static partial void TickFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Peer {Ufrag} failed ({Cause}): {Reason}")]
        public static partial void PeerFailed(ILogger logger, string ufrag, PeerFailureCause cause, string reason);
    }
}
