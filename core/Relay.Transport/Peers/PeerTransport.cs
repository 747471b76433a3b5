using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Srtp;
using Relay.Protocols.Stun;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Udp;

namespace Relay.Transport.Peers;

/// <summary>
/// One peer's data plane: ICE, then DTLS-SRTP (RFC 5764), turning the peer's datagrams into
/// plaintext RTP and RTCP for an <see cref="IPeerMediaHandler"/>, and plaintext from the owner into
/// SRTP on the selected pair. In the server role it sits on an <see cref="IceLiteAgent"/> of the shared
/// media port (<see cref="CreateServer"/>); in the client role, used by the load suite and tests, on
/// an <see cref="IceControllingAgent"/> and a socket of its own (<see cref="CreateClient"/>). Either
/// role may be the DTLS client or server, as <see cref="DtlsTransportOptions.Role"/> says.
/// </summary>
/// <remarks>
/// <para>
/// Threads. The relay owns each peer on one worker and the transport is built for that: media
/// arrives on the receive worker, and <see cref="SendRtp"/> and <see cref="SendRtcp"/> must be called
/// by one thread at a time (the inbound and outbound SRTP sessions are not thread-safe and are used
/// without locks). The DTLS handshake, <see cref="Poll"/>, consent loss and <see cref="Dispose"/> are rare
/// and serialised by a lock, so they may come from other threads. Dispose after the socket or agent
/// has stopped delivering datagrams to this transport.
/// </para>
/// <para>
/// Receiving: DTLS goes to <see cref="DtlsTransport.ProcessIncoming"/>; SRTP and SRTCP before the
/// handshake completes are dropped and counted; after it, each packet is unprotected in place in its
/// lease, the lease's length set to the plain length and the lease handed to the handler. Refused
/// packets are dropped and counted by <see cref="SrtpError"/>. Nothing on this path allocates.
/// </para>
/// <para>
/// DTLS retransmission: the owner calls <see cref="Poll"/> periodically (every 10-50 ms while
/// <see cref="NextTimeoutTimestamp"/> is not <see cref="long.MaxValue"/>).
/// </para>
/// </remarks>
public sealed class PeerTransport : IIceLiteAgentHandler, IUdpDatagramHandler, IDtlsTransportListener, IDisposable
{
    /// <summary>
    /// The most bytes protecting can append to a packet under any profile: the 16-byte GCM tag plus,
    /// for SRTCP, the 4-byte E|index word. A send buffer with this much room after the packet always fits.
    /// </summary>
    public const int MaxTrailerLength = 20;

    private readonly Lock _lock = new();
    private readonly IPeerMediaHandler _handler;
    private readonly TimeProvider _timeProvider;
    private readonly DtlsTransport _dtls;
    private readonly IceLiteAgent? _liteAgent;
    private readonly IceControllingAgent? _controllingAgent;
    private readonly StunTransportAddress _remoteAddress;
    private SrtpSession? _inbound;
    private SrtpSession? _outbound;
    private int _state;
    private int _reportedState;
    private string? _reason;
    private long _nextTimeoutTimestamp = long.MaxValue;
    private bool _dtlsStarted;
    private bool _disposed;

    private PeerTransport(
        DtlsTransportOptions dtlsOptions,
        IPeerMediaHandler handler,
        TimeProvider? timeProvider,
        IceServerRole? iceServer,
        IceClientRole? iceClient)
    {
        _handler = handler;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _dtls = new DtlsTransport(dtlsOptions, this, _timeProvider);
        try
        {
            if (iceServer is not null)
            {
                _liteAgent = iceServer.Server.CreateAgent(this, iceServer.RemoteUfrag);
            }
            else
            {
                IceClientRole client = iceClient!;
                _remoteAddress = client.RemoteAddress;
                _controllingAgent = new IceControllingAgent(
                    client.Sender, client.RemoteAddress, client.LocalCredentials, client.RemoteCredentials, client.Options, _timeProvider);
                _controllingAgent.StateChanged += OnIceControllingStateChanged;
            }
        }
        catch
        {
            _dtls.Dispose();
            throw;
        }
    }

    /// <summary>This side's ICE ufrag and password, to put in the SDP (answer for a server, offer for a client).</summary>
    public IceCredentials LocalIceCredentials => _liteAgent?.LocalCredentials ?? _controllingAgent!.LocalCredentials;

    /// <summary>The ICE-lite agent in the server role; null in the client role.</summary>
    public IceLiteAgent? IceLiteAgent => _liteAgent;

    public PeerTransportState State => (PeerTransportState)Volatile.Read(ref _state);

    /// <summary>Why the transport is <see cref="PeerTransportState.Failed"/> or <see cref="PeerTransportState.Closed"/>; null before.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public PeerTransportCounters Counters { get; } = new();

    /// <summary>The negotiated SRTP profile once connected; null before.</summary>
    public SrtpProfile? SrtpProfile => Volatile.Read(ref _outbound)?.Profile;

    /// <summary>Bytes <see cref="SendRtp"/> appends to a packet under the negotiated profile; <see cref="MaxTrailerLength"/> before.</summary>
    public int RtpTrailerLength => Volatile.Read(ref _outbound)?.RtpTrailerLength ?? MaxTrailerLength;

    /// <summary>Bytes <see cref="SendRtcp"/> appends to a packet under the negotiated profile; <see cref="MaxTrailerLength"/> before.</summary>
    public int RtcpTrailerLength => Volatile.Read(ref _outbound)?.RtcpTrailerLength ?? MaxTrailerLength;

    /// <summary>
    /// When (a <see cref="TimeProvider.GetTimestamp"/> value of the transport's provider) <see cref="Poll"/>
    /// next has DTLS work to do; <see cref="long.MaxValue"/> when none is pending.
    /// </summary>
    public long NextTimeoutTimestamp => Volatile.Read(ref _nextTimeoutTimestamp);

    /// <summary>
    /// A transport on an ICE-lite agent of <paramref name="iceServer"/>'s shared port. It starts by
    /// itself: DTLS begins when the peer nominates a pair.
    /// </summary>
    /// <param name="iceServer">The server whose port the peer's checks and media arrive on.</param>
    /// <param name="dtlsOptions">The DTLS role, certificate and the peer's fingerprint, from signalling.</param>
    /// <param name="handler">Takes the media and hears about the state.</param>
    /// <param name="remoteUfrag">The peer's ICE ufrag from its offer; null accepts any.</param>
    /// <param name="timeProvider">The clock of <see cref="Poll"/> timestamps and the DTLS handshake limit.</param>
    public static PeerTransport CreateServer(
        IceLiteServer iceServer,
        DtlsTransportOptions dtlsOptions,
        IPeerMediaHandler handler,
        string? remoteUfrag = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(iceServer);
        ArgumentNullException.ThrowIfNull(dtlsOptions);
        ArgumentNullException.ThrowIfNull(handler);
        return new PeerTransport(dtlsOptions, handler, timeProvider, new IceServerRole(iceServer, remoteUfrag), null);
    }

    /// <summary>
    /// A transport that connects to an ICE-lite server candidate from its own socket. Give the
    /// transport the socket's datagrams (<c>socket.Start(transport)</c>), then call <see cref="Start"/>.
    /// </summary>
    /// <param name="sender">The socket the checks, DTLS and media leave from.</param>
    /// <param name="remoteAddress">The server's candidate.</param>
    /// <param name="localCredentials">This side's ICE credentials (the offer's).</param>
    /// <param name="remoteCredentials">The server's (the answer's).</param>
    /// <param name="dtlsOptions">The DTLS role, certificate and the server's fingerprint.</param>
    /// <param name="handler">Takes the media and hears about the state.</param>
    /// <param name="iceOptions">ICE timing; defaults if null.</param>
    /// <param name="timeProvider">The clock of ICE timers, <see cref="Poll"/> timestamps and the DTLS handshake limit.</param>
    public static PeerTransport CreateClient(
        IDatagramSender sender,
        StunTransportAddress remoteAddress,
        IceCredentials localCredentials,
        IceCredentials remoteCredentials,
        DtlsTransportOptions dtlsOptions,
        IPeerMediaHandler handler,
        IceControllingAgentOptions? iceOptions = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(localCredentials);
        ArgumentNullException.ThrowIfNull(remoteCredentials);
        ArgumentNullException.ThrowIfNull(dtlsOptions);
        ArgumentNullException.ThrowIfNull(handler);
        return new PeerTransport(
            dtlsOptions, handler, timeProvider, null, new IceClientRole(sender, remoteAddress, localCredentials, remoteCredentials, iceOptions));
    }

    /// <summary>Client role: starts the ICE check; DTLS follows once it succeeds. The server role starts by itself.</summary>
    public void Start()
    {
        if (_controllingAgent is null)
        {
            throw new InvalidOperationException("A server-role transport starts when the peer nominates a pair; Start is for the client role.");
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SetState(PeerTransportState.Connecting);
        }

        ReportState();
        _controllingAgent.Start();
    }

    /// <summary>
    /// Protects the RTP packet in <c>buffer[..length]</c> in place and sends it to the peer.
    /// <paramref name="buffer"/> needs <see cref="RtpTrailerLength"/> bytes after the packet. Call only
    /// once <see cref="PeerTransportState.Connected"/>, from one thread at a time. A packet that
    /// protects but cannot be sent (the peer has gone) is counted in <see cref="PeerTransportCounters.SendFailures"/>.
    /// </summary>
    /// <returns><see cref="SrtpError.None"/>, or why the packet could not be protected (nothing is sent then).</returns>
    public SrtpError SendRtp(Span<byte> buffer, int length) => SendRtp(buffer, length, retransmission: false);

    /// <summary>
    /// As <see cref="SendRtp(Span{byte}, int)"/>, for a retransmission of a packet already sent under
    /// the same SSRC and sequence number, byte for byte the same: its SRTP index may be used again
    /// (<see cref="SrtpSession.ProtectRtpRetransmission"/>). For viewers without RTX.
    /// </summary>
    public SrtpError SendRtpRetransmission(Span<byte> buffer, int length) => SendRtp(buffer, length, retransmission: true);

    private SrtpError SendRtp(Span<byte> buffer, int length, bool retransmission)
    {
        SrtpSession outbound = Volatile.Read(ref _outbound) ?? ThrowNotConnected();
        SrtpError error = retransmission
            ? outbound.ProtectRtpRetransmission(buffer, length, out int protectedLength)
            : outbound.ProtectRtp(buffer, length, out protectedLength);
        if (error != SrtpError.None)
        {
            Counters.CountProtectFailure(error);
            return error;
        }

        if (SendToPeer(buffer.Slice(0, protectedLength)))
        {
            Counters._rtpPacketsOut++;
            Counters._rtpBytesOut += protectedLength;
        }
        else
        {
            Counters._sendFailures++;
        }

        return SrtpError.None;
    }

    /// <summary>As <see cref="SendRtp"/>, for an RTCP compound packet; room for <see cref="RtcpTrailerLength"/> bytes.</summary>
    public SrtpError SendRtcp(Span<byte> buffer, int length)
    {
        SrtpSession outbound = Volatile.Read(ref _outbound) ?? ThrowNotConnected();
        SrtpError error = outbound.ProtectRtcp(buffer, length, out int protectedLength);
        if (error != SrtpError.None)
        {
            Counters.CountProtectFailure(error);
            return error;
        }

        if (SendToPeer(buffer.Slice(0, protectedLength)))
        {
            Counters._rtcpPacketsOut++;
            Counters._rtcpBytesOut += protectedLength;
        }
        else
        {
            Counters._sendFailures++;
        }

        return SrtpError.None;
    }

    /// <summary>
    /// Drives DTLS timers: retransmits a handshake flight, or fails the transport once the handshake
    /// has run out of time, when <paramref name="nowTimestamp"/> (of the transport's
    /// <see cref="TimeProvider"/>) has reached <see cref="NextTimeoutTimestamp"/>. Cheap when nothing is due.
    /// </summary>
    public void Poll(long nowTimestamp)
    {
        if (nowTimestamp < Volatile.Read(ref _nextTimeoutTimestamp))
        {
            return;
        }

        lock (_lock)
        {
            if (_disposed || nowTimestamp < _nextTimeoutTimestamp)
            {
                return;
            }

            _dtls.HandleTimeout();
            ScheduleTimeout();
        }

        ReportState();
    }

    /// <summary>
    /// Ends the transport: sends close_notify if DTLS is connected, unregisters the ICE agent and frees
    /// the keys. Reports <see cref="PeerTransportState.Closed"/> if no final state was reported yet.
    /// </summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            End(PeerTransportState.Closed, "the transport was disposed");
            _dtls.Close();
            _disposed = true;
            Volatile.Write(ref _nextTimeoutTimestamp, long.MaxValue);
        }

        ReportState();
        if (_controllingAgent is not null)
        {
            _controllingAgent.StateChanged -= OnIceControllingStateChanged;
            _controllingAgent.Dispose();
        }

        _liteAgent?.Dispose();
        lock (_lock)
        {
            _dtls.Dispose();
            Interlocked.Exchange(ref _inbound, null)?.Dispose();
            Interlocked.Exchange(ref _outbound, null)?.Dispose();
        }
    }

    public override string ToString() => $"peer {LocalIceCredentials.Ufrag} ({State})";

    void IIceLiteAgentHandler.OnDatagram(IceLiteAgent agent, PacketLease datagram, PacketKind kind) => Receive(datagram, kind);

    void IIceLiteAgentHandler.OnSelectedAddressChanged(IceLiteAgent agent, StunTransportAddress address) => StartDtls();

    void IIceLiteAgentHandler.OnConsentLost(IceLiteAgent agent) =>
        Fail("ICE consent lost: the peer stopped answering or sending connectivity checks (RFC 7675)");

    void IUdpDatagramHandler.OnDatagram(PacketLease datagram, in StunTransportAddress source)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        PacketKind kind = PacketClassifier.Classify(datagram.Span);
        if (kind == PacketKind.Stun && _controllingAgent is not null)
        {
            _controllingAgent.HandleStun(datagram.Span, source);
            datagram.Release();
        }
        else if (source != _remoteAddress)
        {
            Counters._droppedUnknown++;
            datagram.Release();
        }
        else
        {
            Receive(datagram, kind);
        }
    }

    // Called by the DTLS transport under _lock.
    void IDtlsTransportListener.SendDatagram(DtlsTransport transport, ReadOnlySpan<byte> datagram)
    {
        if (SendToPeer(datagram))
        {
            Counters._dtlsDatagramsOut++;
        }
    }

    // Called by the DTLS transport under _lock.
    void IDtlsTransportListener.OnStateChanged(DtlsTransport transport, DtlsState state)
    {
        switch (state)
        {
            case DtlsState.Connected:
                KeySrtp(transport.SrtpKeys);
                break;
            case DtlsState.Closed:
                End(PeerTransportState.Closed, "DTLS closed: " + (transport.Reason ?? "close_notify"));
                break;
            case DtlsState.Failed:
                End(PeerTransportState.Failed, "DTLS failed: " + (transport.Reason ?? "unknown error"));
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Receive(PacketLease datagram, PacketKind kind)
    {
        if (kind == PacketKind.Rtp)
        {
            ReceiveRtp(datagram);
        }
        else if (kind == PacketKind.Rtcp)
        {
            ReceiveRtcp(datagram);
        }
        else if (kind == PacketKind.Dtls)
        {
            ReceiveDtls(datagram);
        }
        else
        {
            Counters._droppedUnknown++;
            datagram.Release();
        }
    }

    private void ReceiveRtp(PacketLease datagram)
    {
        SrtpSession? inbound = Volatile.Read(ref _inbound);
        if (inbound is null || Volatile.Read(ref _state) != (int)PeerTransportState.Connected)
        {
            DropUnkeyed(datagram);
            return;
        }

        int wireLength = datagram.Length;
        SrtpError error = inbound.UnprotectRtp(datagram.Span, out int plainLength);
        if (error != SrtpError.None)
        {
            Counters.CountRtpDrop(error);
            datagram.Release();
            return;
        }

        Counters._rtpPacketsIn++;
        Counters._rtpBytesIn += wireLength;
        datagram.SetLength(plainLength);
        _handler.OnRtp(this, datagram);
    }

    private void ReceiveRtcp(PacketLease datagram)
    {
        SrtpSession? inbound = Volatile.Read(ref _inbound);
        if (inbound is null || Volatile.Read(ref _state) != (int)PeerTransportState.Connected)
        {
            DropUnkeyed(datagram);
            return;
        }

        int wireLength = datagram.Length;
        SrtpError error = inbound.UnprotectRtcp(datagram.Span, out int plainLength);
        if (error != SrtpError.None)
        {
            Counters.CountRtcpDrop(error);
            datagram.Release();
            return;
        }

        Counters._rtcpPacketsIn++;
        Counters._rtcpBytesIn += wireLength;
        datagram.SetLength(plainLength);
        _handler.OnRtcp(this, datagram);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DropUnkeyed(PacketLease datagram)
    {
        if (Volatile.Read(ref _state) >= (int)PeerTransportState.Failed)
        {
            Counters._droppedAfterEnd++;
        }
        else
        {
            Counters._droppedBeforeKeys++;
        }

        datagram.Release();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReceiveDtls(PacketLease datagram)
    {
        try
        {
            lock (_lock)
            {
                if (_disposed || !_dtlsStarted)
                {
                    // Before the pair is selected nothing reaches here in the server role; in the
                    // client role the server cannot speak DTLS before our check succeeded.
                    Counters._droppedUnknown++;
                    return;
                }

                Counters._dtlsDatagramsIn++;
                _dtls.ProcessIncoming(datagram.Span);
                ScheduleTimeout();
            }
        }
        finally
        {
            datagram.Release();
        }

        ReportState();
    }

    private void OnIceControllingStateChanged(object? sender, IceControllingState state)
    {
        if (state == IceControllingState.Connected)
        {
            StartDtls();
        }
        else if (state == IceControllingState.Failed)
        {
            Fail(State == PeerTransportState.Connecting && !_dtlsStarted
                ? "ICE failed: no valid answer to the connectivity check"
                : "ICE consent lost: the server stopped answering consent checks (RFC 7675)");
        }
    }

    private void StartDtls()
    {
        lock (_lock)
        {
            if (_disposed || _dtlsStarted || State >= PeerTransportState.Failed)
            {
                return;
            }

            _dtlsStarted = true;
            SetState(PeerTransportState.Connecting);
            _dtls.Start();
            ScheduleTimeout();
        }

        ReportState();
    }

    private void Fail(string reason)
    {
        lock (_lock)
        {
            if (_disposed || !End(PeerTransportState.Failed, reason))
            {
                return;
            }

            // Nothing more reaches the peer over a dead pair, but close_notify costs nothing to try.
            _dtls.Close();
            Volatile.Write(ref _nextTimeoutTimestamp, long.MaxValue);
        }

        ReportState();
    }

    // Under _lock, inside the DTLS transport's callback.
    private void KeySrtp(DtlsSrtpKeys? keys)
    {
        if (keys is null || !Relay.Protocols.Srtp.SrtpProfileExtensions.TryFromProtectionProfileId(keys.ProfileId, out SrtpProfile profile) || !profile.IsSupported)
        {
            End(PeerTransportState.Failed, $"DTLS negotiated SRTP profile {keys?.Profile.ToString() ?? "(none)"}, which SRTP here does not support");
            _dtls.Close();
            return;
        }

        SrtpSession outbound = new(profile, keys.LocalMasterKey, keys.LocalMasterSalt);
        SrtpSession inbound;
        try
        {
            inbound = new SrtpSession(profile, keys.RemoteMasterKey, keys.RemoteMasterSalt);
        }
        catch
        {
            outbound.Dispose();
            throw;
        }

        // Sessions first, state after: a reader that sees Connected finds them.
        Volatile.Write(ref _outbound, outbound);
        Volatile.Write(ref _inbound, inbound);
        SetState(PeerTransportState.Connected);
    }

    // Under _lock. Forward only; final states never change.
    private void SetState(PeerTransportState state)
    {
        if ((int)state > _state && _state < (int)PeerTransportState.Failed)
        {
            Volatile.Write(ref _state, (int)state);
        }
    }

    // Under _lock. Returns false if already final.
    private bool End(PeerTransportState finalState, string reason)
    {
        if (_state >= (int)PeerTransportState.Failed)
        {
            return false;
        }

        Volatile.Write(ref _reason, reason);
        Volatile.Write(ref _state, (int)finalState);
        return true;
    }

    // Under _lock, after every call into the DTLS transport.
    private void ScheduleTimeout()
    {
        TimeSpan? timeout = _disposed ? null : _dtls.GetTimeout();
        long due = timeout is TimeSpan wait
            ? _timeProvider.GetTimestamp() + (long)(wait.TotalSeconds * _timeProvider.TimestampFrequency)
            : long.MaxValue;
        Volatile.Write(ref _nextTimeoutTimestamp, due);
    }

    // Outside _lock: tells the handler of the newest state it has not heard, the final one exactly once.
    private void ReportState()
    {
        while (true)
        {
            int current = Volatile.Read(ref _state);
            int reported = Volatile.Read(ref _reportedState);
            if (current == reported || reported >= (int)PeerTransportState.Failed)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _reportedState, current, reported) == reported)
            {
                _handler.OnStateChanged(this, (PeerTransportState)current);
            }
        }
    }

    private bool SendToPeer(ReadOnlySpan<byte> datagram) =>
        _liteAgent is not null ? _liteAgent.TrySend(datagram) : _controllingAgent!.TrySend(datagram);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SrtpSession ThrowNotConnected() =>
        throw new InvalidOperationException("The peer transport is not connected: send media only after it reports Connected.");

    private sealed record IceServerRole(IceLiteServer Server, string? RemoteUfrag);

    private sealed record IceClientRole(
        IDatagramSender Sender,
        StunTransportAddress RemoteAddress,
        IceCredentials LocalCredentials,
        IceCredentials RemoteCredentials,
        IceControllingAgentOptions? Options);
}
