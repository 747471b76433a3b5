using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Transport.Ice;

/// <summary>
/// ICE-lite for every peer on the shared media port: the <see cref="IUdpDatagramHandler"/> a
/// <see cref="UdpMediaSocket"/> hands each datagram to. STUN goes to the agent its USERNAME names;
/// DTLS, RTP and RTCP go to the agent whose selected address they came from; the rest is dropped and
/// counted in <see cref="Counters"/>.
/// </summary>
/// <remarks>
/// <para>
/// A Binding request is answered (RFC 8445 sections 7.3 and 7.3.1.1, RFC 8489 section 9.1.3) like this:
/// <code>
///   not STUN, bad length or attribute  -> drop (DroppedBadStun)
///   not a Binding request              -> drop (DroppedStunNotRequest): a lite agent sends no requests
///   no USERNAME or MESSAGE-INTEGRITY   -> 400 without MESSAGE-INTEGRITY, if no larger than the request
///   USERNAME names no agent            -> drop (DroppedUnknownUfrag)
///   the agent's consent has expired    -> drop (DroppedConsentLost)
///   FINGERPRINT wrong                  -> drop (DroppedBadStun)
///   MESSAGE-INTEGRITY wrong            -> drop (DroppedBadIntegrity), never 401: a prober learns nothing
///   unknown comprehension-required     -> 420 with UNKNOWN-ATTRIBUTES and MESSAGE-INTEGRITY
///   no PRIORITY, or both roles         -> 400 with MESSAGE-INTEGRITY
///   ICE-CONTROLLED                     -> 487 with MESSAGE-INTEGRITY
///   otherwise                          -> success: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT
/// </code>
/// A lite agent is always controlled, and a full agent facing a lite one must control (RFC 8445
/// section 6.1.1), so a peer claiming the controlled role is in conflict whatever the tie breakers
/// say; 487 tells it to switch (section 7.2.5.1), and this side never does. The 400 to a request
/// without credentials is sent only when it is no larger than the request, so a spoofed source
/// cannot use the port to amplify traffic.
/// </para>
/// <para>
/// Two tables route datagrams. Agents by local ufrag: the ufrag's ASCII bytes are widened on the
/// stack and looked up through the dictionary's span lookup, so nothing is allocated. Agents by
/// address: a struct key (address bytes and port), holding each agent's selected address and at most
/// one more that has passed an authenticated check without being nominated yet, so the table never
/// grows with what unauthenticated senders do. Lookups run lock-free on the receive worker; changes
/// (registration, nomination, consent loss) take a lock and are rare.
/// </para>
/// <para>
/// Consent (RFC 7675) is learned from the peer's checks: an authenticated check from the selected
/// address refreshes it. A periodic sweep, not a timer per agent or per packet, ends the agents that
/// heard nothing for <see cref="IceLiteServerOptions.ConsentTimeout"/>. Binding indications (RFC 8445
/// section 11 keepalives) and media do not refresh it: an indication carries no credentials and
/// needs no answer, so anyone able to spoof the peer's address could keep a vanished peer alive.
/// Browsers send a check every few seconds; GStreamer's webrtcbin (libnice) sends only indications
/// unless its agent's keepalive-conncheck or consent-freshness is on, and was ended after 30 s
/// (tests/Relay.EndToEnd.Tests/Streaming/LongPublishTests.cs, gst/whip_publish.py).
/// </para>
/// <para>
/// Every step is safe to run on several receive workers at once, though one dual-stack socket
/// needs only one; the agents' handlers are called on whichever worker received the datagram.
/// </para>
/// <para>
/// Measured (bench/Relay.Bench/Transport/IceBenchmarks.cs, short job): answering a browser's check
/// about 4.1 us, nearly all of it the two HMAC-SHA1s (verify, then sign the answer); a forged check
/// for a live ufrag 2.2 us; routing a media datagram by address 81 ns, the lookup alone 5 ns; 0 B each.
/// </para>
/// </remarks>
public sealed class IceLiteServer : IUdpDatagramHandler, IDisposable
{
    // A success response is at most 76 bytes (IPv6 XOR-MAPPED-ADDRESS) and a 420 listing 16
    // attributes 112, so one stack buffer holds any response this server sends.
    private const int ResponseBufferLength = 256;
    private const int MaxUnknownAttributesListed = 16;

    private readonly TimeProvider _timeProvider;
    private readonly RandomNumberGenerator _random;
    private readonly bool _ownsRandom;
    private readonly TimeSpan _consentTimeout;
    private readonly ConcurrentDictionary<string, IceLiteAgent> _agentsByUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IceLiteAgent>.AlternateLookup<ReadOnlySpan<char>> _agentsByUfragSpan;
    private readonly ConcurrentDictionary<StunTransportAddress, IceLiteAgent> _agentsByAddress = new();
    private readonly Lock _tableLock = new();
    private readonly Lock _sweepLock = new();
    private readonly Lock _randomLock = new();
    private readonly List<IceLiteAgent> _expired = [];
    private readonly ITimer _sweepTimer;
    private int _disposed;

    /// <param name="sender">Where responses go: the socket this server handles datagrams for.</param>
    /// <param name="options">Consent timing; defaults follow RFC 7675.</param>
    /// <param name="timeProvider">The clock for consent; tests pass a manual one.</param>
    /// <param name="random">The source of generated credentials; a cryptographic one by default.</param>
    public IceLiteServer(
        IDatagramSender sender,
        IceLiteServerOptions? options = null,
        TimeProvider? timeProvider = null,
        RandomNumberGenerator? random = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        options ??= new IceLiteServerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConsentTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConsentSweepInterval, TimeSpan.Zero);

        Sender = sender;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _ownsRandom = random is null;
        _random = random ?? RandomNumberGenerator.Create();
        _consentTimeout = options.ConsentTimeout;
        _agentsByUfragSpan = _agentsByUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        _sweepTimer = _timeProvider.CreateTimer(
            static state => ((IceLiteServer)state!).SweepConsent(),
            this,
            options.ConsentSweepInterval,
            options.ConsentSweepInterval);
    }

    public IceCounters Counters { get; } = new();

    /// <summary>Agents registered.</summary>
    public int AgentCount => _agentsByUfrag.Count;

    /// <summary>
    /// Entries in the address table: each agent's selected address, and at most one more per agent
    /// that has passed a check. Counting locks the table, so this is for metrics and tests.
    /// </summary>
    public int AddressCount => _agentsByAddress.Count;

    internal IDatagramSender Sender { get; }

    /// <summary>Registers an agent with fresh local credentials (put them in the SDP answer).</summary>
    /// <param name="handler">Receives the agent's media and hears about its state.</param>
    /// <param name="remoteUfrag">The peer's ufrag from its offer, which its checks must carry; null accepts any.</param>
    public IceLiteAgent CreateAgent(IIceLiteAgentHandler handler, string? remoteUfrag = null)
    {
        while (true)
        {
            IceCredentials credentials;
            lock (_randomLock)
            {
                credentials = IceCredentials.Generate(_random);
            }

            if (TryRegister(credentials, handler, remoteUfrag, out IceLiteAgent? agent))
            {
                return agent;
            }
        }
    }

    /// <summary>Registers an agent with given local credentials.</summary>
    /// <exception cref="InvalidOperationException">Another agent has the same ufrag.</exception>
    public IceLiteAgent CreateAgent(IceCredentials localCredentials, IIceLiteAgentHandler handler, string? remoteUfrag = null)
    {
        ArgumentNullException.ThrowIfNull(localCredentials);
        if (!TryRegister(localCredentials, handler, remoteUfrag, out IceLiteAgent? agent))
        {
            throw new InvalidOperationException($"An agent with ufrag '{localCredentials.Ufrag}' is already registered.");
        }

        return agent;
    }

    /// <inheritdoc />
    public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        ReadOnlySpan<byte> bytes = datagram.Span;
        PacketKind kind = PacketClassifier.Classify(bytes);
        if (kind == PacketKind.Stun)
        {
            HandleStun(bytes, source);
            datagram.Release();
            return;
        }

        if (kind == PacketKind.Unknown)
        {
            Counters.OnDroppedClassifiedUnknown();
            datagram.Release();
            return;
        }

        if (!_agentsByAddress.TryGetValue(source, out IceLiteAgent? agent))
        {
            Counters.OnDroppedUnknownAddress();
            datagram.Release();
            return;
        }

        if (!agent.IsSelected(source) || agent.State != IceLiteAgentState.Connected)
        {
            DropFromUnselected(agent);
            datagram.Release();
            return;
        }

        Counters.OnDatagramDelivered();
        agent.Handler.OnDatagram(agent, datagram, kind);
    }

    /// <summary>
    /// Ends the consent of every connected agent that has had no authenticated check from its
    /// selected address for the consent timeout, and tells their handlers. The server's timer calls
    /// this every sweep interval.
    /// </summary>
    public void SweepConsent()
    {
        lock (_sweepLock)
        {
            long now = _timeProvider.GetTimestamp();
            foreach (KeyValuePair<string, IceLiteAgent> entry in _agentsByUfrag)
            {
                IceLiteAgent agent = entry.Value;
                if (agent.State == IceLiteAgentState.Connected && ConsentExpired(agent, now))
                {
                    lock (_tableLock)
                    {
                        // A check may have refreshed consent since the test above.
                        if (agent.State != IceLiteAgentState.Connected || !ConsentExpired(agent, now))
                        {
                            continue;
                        }

                        RemoveAddresses(agent);
                        agent.End(IceLiteAgentState.ConsentLost);
                    }

                    Counters.OnConsentLoss();
                    _expired.Add(agent);
                }
            }

            foreach (IceLiteAgent agent in _expired)
            {
                NotifyConsentLost(agent);
            }

            _expired.Clear();
        }
    }

    /// <summary>Stops the consent sweep and closes every agent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _sweepTimer.Dispose();
        lock (_tableLock)
        {
            foreach (KeyValuePair<string, IceLiteAgent> entry in _agentsByUfrag)
            {
                entry.Value.End(IceLiteAgentState.Closed);
            }

            _agentsByUfrag.Clear();
            _agentsByAddress.Clear();
        }

        if (_ownsRandom)
        {
            _random.Dispose();
        }
    }

    /// <summary>The agent whose table entry <paramref name="address"/> is, selected or not.</summary>
    internal bool TryGetAgentByAddress(in StunTransportAddress address, [NotNullWhen(true)] out IceLiteAgent? agent) =>
        _agentsByAddress.TryGetValue(address, out agent);

    internal void Unregister(IceLiteAgent agent)
    {
        lock (_tableLock)
        {
            if (agent.State == IceLiteAgentState.Closed)
            {
                return;
            }

            _agentsByUfrag.TryRemove(KeyValuePair.Create(agent.LocalCredentials.Ufrag, agent));
            RemoveAddresses(agent);
            agent.End(IceLiteAgentState.Closed);
        }
    }

    private bool TryRegister(IceCredentials credentials, IIceLiteAgentHandler handler, string? remoteUfrag, [NotNullWhen(true)] out IceLiteAgent? agent)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (remoteUfrag is not null && !IceCredentials.IsValidUfrag(remoteUfrag))
        {
            throw new ArgumentException("An ICE ufrag is 4 to 256 characters of A-Z, a-z, 0-9, '+' and '/'.", nameof(remoteUfrag));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var candidate = new IceLiteAgent(this, credentials, remoteUfrag, handler);
        lock (_tableLock)
        {
            if (!_agentsByUfrag.TryAdd(credentials.Ufrag, candidate))
            {
                agent = null;
                return false;
            }
        }

        agent = candidate;
        return true;
    }

    private void HandleStun(ReadOnlySpan<byte> packet, in StunTransportAddress source)
    {
        if (StunMessageReader.Read(packet, out StunMessageReader message) != StunReadError.None)
        {
            Counters.OnDroppedBadStun();
            return;
        }

        if (message.Class != StunClass.Request || message.Method != StunMethod.Binding)
        {
            Counters.OnDroppedStunNotRequest();
            return;
        }

        if (!message.HasUsername || !message.HasMessageIntegrity)
        {
            AnswerMissingCredentials(message, source);
            return;
        }

        if (!TryFindAgent(message.Username, out IceLiteAgent? agent))
        {
            Counters.OnDroppedUnknownUfrag();
            return;
        }

        if (agent.State is IceLiteAgentState.ConsentLost or IceLiteAgentState.Closed)
        {
            Counters.OnDroppedConsentLost();
            return;
        }

        ReadOnlySpan<byte> key = agent.PasswordBytes;
        switch (StunBindingCheck.Check(message, key, out StunBindingRequest request))
        {
            case StunCheckResult.Ok:
                break;
            case StunCheckResult.IntegrityMismatch:
                Counters.OnDroppedBadIntegrity();
                return;
            case StunCheckResult.UnknownAttributes:
                AnswerUnknownAttributes(message, key, source);
                return;
            case StunCheckResult.BadRequest:
                SendResponse(StunMessageWriter.BindingErrorResponse(message.TransactionId, StunErrorCode.BadRequest, key), source);
                Counters.OnErrorResponse();
                return;
            default:
                Counters.OnDroppedBadStun();
                return;
        }

        if (request.Role == StunIceRole.Controlled)
        {
            SendResponse(StunMessageWriter.BindingErrorResponse(message.TransactionId, StunErrorCode.RoleConflict, key), source);
            Counters.OnErrorResponse();
            Counters.OnRoleConflict();
            return;
        }

        // Select before answering, so media the peer sends as soon as it has the response is accepted.
        if (agent.IsSelected(source))
        {
            agent.RefreshConsent(_timeProvider.GetTimestamp());
        }
        else if (request.UseCandidate)
        {
            Nominate(agent, source);
        }
        else
        {
            NotePending(agent, source);
        }

        SendResponse(StunMessageWriter.BindingSuccessResponse(message.TransactionId, source, key), source);
        Counters.OnBindingSuccessResponse();
    }

    /// <summary>Finds the agent USERNAME ("local-ufrag:remote-ufrag") names, without allocating.</summary>
    [SkipLocalsInit]
    private bool TryFindAgent(ReadOnlySpan<byte> username, [NotNullWhen(true)] out IceLiteAgent? agent)
    {
        agent = null;
        int colon = username.IndexOf((byte)':');
        if (colon < IceCredentials.MinUfragLength || colon > IceCredentials.MaxLength)
        {
            return false;
        }

        Span<char> ufrag = stackalloc char[IceCredentials.MaxLength];
        if (Ascii.ToUtf16(username.Slice(0, colon), ufrag, out int length) != OperationStatus.Done
            || !_agentsByUfragSpan.TryGetValue(ufrag.Slice(0, length), out agent))
        {
            return false;
        }

        if (!agent.AcceptsRemoteUfrag(username.Slice(colon + 1)))
        {
            agent = null;
            return false;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AnswerMissingCredentials(StunMessageReader message, in StunTransportAddress source)
    {
        if (message.HasFingerprint && !message.VerifyFingerprint())
        {
            Counters.OnDroppedBadStun();
            return;
        }

        StunMessageWriter response = StunMessageWriter.BindingErrorResponse(message.TransactionId, StunErrorCode.BadRequest, default);
        if (response.GetSerializedLength() > message.Message.Length)
        {
            Counters.OnDroppedBadStun();
            return;
        }

        SendResponse(response, source);
        Counters.OnErrorResponse();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AnswerUnknownAttributes(StunMessageReader message, ReadOnlySpan<byte> key, in StunTransportAddress source)
    {
        Span<StunAttributeType> unknown = stackalloc StunAttributeType[MaxUnknownAttributesListed];
        int count = message.CopyUnknownComprehensionRequired(unknown);
        SendResponse(StunMessageWriter.BindingErrorResponse(message.TransactionId, StunErrorCode.UnknownAttribute, key, unknown.Slice(0, count)), source);
        Counters.OnErrorResponse();
    }

    [SkipLocalsInit]
    private void SendResponse(scoped in StunMessageWriter response, in StunTransportAddress destination)
    {
        Span<byte> buffer = stackalloc byte[ResponseBufferLength];
        if (!response.TryWrite(buffer, out int written) || !Sender.TrySend(buffer.Slice(0, written), destination))
        {
            Counters.OnSendFailure();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Nominate(IceLiteAgent agent, StunTransportAddress address)
    {
        lock (_tableLock)
        {
            if (agent.State is not (IceLiteAgentState.New or IceLiteAgentState.Connected))
            {
                return;
            }

            // Another peer's selected or checked address: refusing keeps a peer that spoofs a source
            // address from taking over a session it does not own.
            if (_agentsByAddress.TryGetValue(address, out IceLiteAgent? owner) && owner != agent)
            {
                Counters.OnNominationConflict();
                return;
            }

            RemoveAddresses(agent);
            _agentsByAddress[address] = agent;
            agent.Select(address, _timeProvider.GetTimestamp());
        }

        Counters.OnNomination();
        agent.Handler.OnSelectedAddressChanged(agent, address);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NotePending(IceLiteAgent agent, StunTransportAddress address)
    {
        if (agent.IsPending(address))
        {
            return;
        }

        lock (_tableLock)
        {
            if (agent.State is not (IceLiteAgentState.New or IceLiteAgentState.Connected)
                || _agentsByAddress.ContainsKey(address))
            {
                return;
            }

            if (agent.Pending is IceLiteAgent.AddressBox old)
            {
                _agentsByAddress.TryRemove(KeyValuePair.Create(old.Address, agent));
            }

            _agentsByAddress[address] = agent;
            agent.SetPending(address);
        }
    }

    // Under the table lock.
    private void RemoveAddresses(IceLiteAgent agent)
    {
        if (agent.Selected is IceLiteAgent.AddressBox selected)
        {
            _agentsByAddress.TryRemove(KeyValuePair.Create(selected.Address, agent));
        }

        if (agent.Pending is IceLiteAgent.AddressBox pending)
        {
            _agentsByAddress.TryRemove(KeyValuePair.Create(pending.Address, agent));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DropFromUnselected(IceLiteAgent agent)
    {
        if (agent.State == IceLiteAgentState.Connected || agent.State == IceLiteAgentState.New)
        {
            Counters.OnDroppedNotStunBeforeValidation();
        }
        else
        {
            Counters.OnDroppedConsentLost();
        }
    }

    private bool ConsentExpired(IceLiteAgent agent, long now) =>
        _timeProvider.GetElapsedTime(agent.LastConsentTimestamp, now) > _consentTimeout;

    // The sweep runs on a timer thread, where an exception would end the process; one handler's bug
    // must neither do that nor keep the other agents from hearing of their lost consent.
    [SuppressMessage("Design", "CA1031", Justification = "Counted; see above.")]
    private void NotifyConsentLost(IceLiteAgent agent)
    {
        try
        {
            agent.Handler.OnConsentLost(agent);
        }
        catch (Exception)
        {
            Counters.OnHandlerError();
        }
    }
}
