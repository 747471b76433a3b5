using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Transport.Ice;

/// <summary>
/// The controlling side of ICE towards one ICE-lite server candidate, as the load suite's synthetic
/// callers and the tests use it (RFC 8445 sections 7.2 and 7.2.5, RFC 7675). It checks a single
/// pair: a nominating Binding request, retransmitted on a short growing schedule until a valid
/// response; then consent checks every few seconds.
/// </summary>
/// <remarks>
/// <para>
/// A request carries USERNAME "remote-ufrag:local-ufrag", PRIORITY, ICE-CONTROLLING with this
/// agent's tie breaker, USE-CANDIDATE, MESSAGE-INTEGRITY under the remote password and FINGERPRINT.
/// A response counts only if it answers the open transaction, comes from the address the request
/// went to (section 7.2.5.2.1), verifies under the remote password and carries XOR-MAPPED-ADDRESS.
/// </para>
/// <para>
/// Each consent check is a new transaction sent once: at the default 5-second period the 30-second
/// timeout spans six of them, enough for a lost one not to matter. Timers come from the injected
/// <see cref="TimeProvider"/>; the owner's receive path passes STUN datagrams to
/// <see cref="HandleStun"/>. This is a client for tests and load, not the packet path: it locks.
/// </para>
/// </remarks>
public sealed class IceControllingAgent : IDisposable
{
    /// <summary>
    /// PRIORITY is what the agent would give a peer-reflexive candidate (RFC 8445 section 7.1.1):
    /// 2^24 * type preference 110 + 2^8 * local preference 65535 + (256 - component 1).
    /// </summary>
    public const uint PeerReflexivePriority = (110u << 24) | (65535u << 8) | (256u - 1);

    private const int RequestBufferLength = 256;

    private readonly IDatagramSender _sender;
    private readonly TimeProvider _timeProvider;
    private readonly RandomNumberGenerator _random;
    private readonly bool _ownsRandom;
    private readonly IceControllingAgentOptions _options;
    private readonly byte[] _username;
    private readonly byte[] _request = new byte[RequestBufferLength];
    private readonly byte[] _transactionId = new byte[StunMessageReader.TransactionIdLength];
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private readonly TaskCompletionSource<bool> _checkOutcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IceControllingState _state;
    private int _requestLength;
    private bool _transactionOpen;
    private int _checkSends;
    private TimeSpan _retransmitInterval;
    private long _lastConsentTimestamp;
    private StunTransportAddress _mappedAddress;

    /// <param name="sender">The socket the checks and media leave from.</param>
    /// <param name="remoteAddress">The server's candidate.</param>
    /// <param name="localCredentials">This agent's ufrag and password (the offer's).</param>
    /// <param name="remoteCredentials">The server's (the answer's): its password keys the checks.</param>
    /// <param name="options">Timing; defaults if null.</param>
    /// <param name="timeProvider">The clock for retransmissions and consent.</param>
    /// <param name="random">The source of transaction ids, the tie breaker and consent jitter.</param>
    public IceControllingAgent(
        IDatagramSender sender,
        StunTransportAddress remoteAddress,
        IceCredentials localCredentials,
        IceCredentials remoteCredentials,
        IceControllingAgentOptions? options = null,
        TimeProvider? timeProvider = null,
        RandomNumberGenerator? random = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(localCredentials);
        ArgumentNullException.ThrowIfNull(remoteCredentials);
        if (remoteAddress.Family == StunAddressFamily.None)
        {
            throw new ArgumentException("The remote address is the default value.", nameof(remoteAddress));
        }

        _options = options ?? new IceControllingAgentOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.InitialRetransmitInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxRetransmitInterval, _options.InitialRetransmitInterval);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxCheckSends, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.ConsentInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.ConsentTimeout, TimeSpan.Zero);

        _sender = sender;
        RemoteAddress = remoteAddress;
        LocalCredentials = localCredentials;
        RemoteCredentials = remoteCredentials;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _ownsRandom = random is null;
        _random = random ?? RandomNumberGenerator.Create();
        _username = Encoding.ASCII.GetBytes(remoteCredentials.Ufrag + ":" + localCredentials.Ufrag);
        Span<byte> tieBreaker = stackalloc byte[8];
        _random.GetBytes(tieBreaker);
        TieBreaker = BinaryPrimitives.ReadUInt64BigEndian(tieBreaker);
        _timer = _timeProvider.CreateTimer(static state => ((IceControllingAgent)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised outside the agent's lock whenever <see cref="State"/> changes.</summary>
    public event EventHandler<IceControllingState>? StateChanged;

    public StunTransportAddress RemoteAddress { get; }

    public IceCredentials LocalCredentials { get; }

    public IceCredentials RemoteCredentials { get; }

    /// <summary>The ICE-CONTROLLING tie breaker (RFC 8445 section 7.1.3).</summary>
    public ulong TieBreaker { get; }

    public IceControllingState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>This agent's address as the server saw it (XOR-MAPPED-ADDRESS of the last valid response).</summary>
    public StunTransportAddress MappedAddress
    {
        get
        {
            lock (_lock)
            {
                return _mappedAddress;
            }
        }
    }

    /// <summary>Sends the first check and starts retransmitting it.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_state == IceControllingState.Closed, this);
            if (_state != IceControllingState.New)
            {
                throw new InvalidOperationException("The agent has already been started.");
            }

            _state = IceControllingState.Checking;
            _retransmitInterval = _options.InitialRetransmitInterval;
            BeginTransaction(_options.Nominate);
            _checkSends = 1;
            _timer.Change(_retransmitInterval, Timeout.InfiniteTimeSpan);
            SendRequest();
        }

        StateChanged?.Invoke(this, IceControllingState.Checking);
    }

    /// <summary>Completes with true once connected, false if the check failed or the agent was closed first.</summary>
    public Task<bool> WaitForConnectionAsync(CancellationToken cancellationToken = default) =>
        _checkOutcome.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Takes a STUN datagram the owner's socket received. Returns true if it was a valid response to
    /// this agent's open transaction; anything else is ignored and false returned.
    /// </summary>
    public bool HandleStun(ReadOnlySpan<byte> datagram, in StunTransportAddress source)
    {
        if (source != RemoteAddress
            || !StunMessageReader.TryRead(datagram, out StunMessageReader message)
            || message.Method != StunMethod.Binding
            || message.Class is not (StunClass.SuccessResponse or StunClass.ErrorResponse)
            || (message.HasFingerprint && !message.VerifyFingerprint())
            || !message.VerifyMessageIntegrity(RemoteCredentials.PasswordBytes))
        {
            return false;
        }

        IceControllingState? changedTo = null;
        lock (_lock)
        {
            if (!_transactionOpen || !message.TransactionId.SequenceEqual(_transactionId))
            {
                return false;
            }

            if (message.Class == StunClass.ErrorResponse)
            {
                // An authenticated error (400, 420, 487 from a lite server that thinks it controls):
                // retrying the same request cannot succeed.
                _transactionOpen = false;
                if (_state == IceControllingState.Checking)
                {
                    changedTo = Fail();
                }
            }
            else if (!message.TryGetXorMappedAddress(out StunTransportAddress mapped))
            {
                return false;
            }
            else
            {
                _transactionOpen = false;
                _mappedAddress = mapped;
                _lastConsentTimestamp = _timeProvider.GetTimestamp();
                if (_state == IceControllingState.Checking)
                {
                    _state = IceControllingState.Connected;
                    changedTo = IceControllingState.Connected;
                    _timer.Change(NextConsentDelay(), Timeout.InfiniteTimeSpan);
                }
            }
        }

        Raise(changedTo);
        return true;
    }

    /// <summary>Sends media to the server candidate, only while connected.</summary>
    public bool TrySend(ReadOnlySpan<byte> datagram) =>
        State == IceControllingState.Connected && _sender.TrySend(datagram, RemoteAddress);

    /// <summary>Sends a consent check now rather than at the next period (tests, and a caller that suspects a path change).</summary>
    public void SendConsentCheck()
    {
        lock (_lock)
        {
            if (_state == IceControllingState.Connected)
            {
                BeginTransaction(useCandidate: false);
                SendRequest();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_state == IceControllingState.Closed)
            {
                return;
            }

            _state = IceControllingState.Closed;
            _transactionOpen = false;
        }

        _timer.Dispose();
        _checkOutcome.TrySetResult(false);
        if (_ownsRandom)
        {
            _random.Dispose();
        }

        StateChanged?.Invoke(this, IceControllingState.Closed);
    }

    private void OnTimer()
    {
        IceControllingState? changedTo = null;
        lock (_lock)
        {
            if (_state == IceControllingState.Checking)
            {
                if (_checkSends >= _options.MaxCheckSends)
                {
                    changedTo = Fail();
                }
                else
                {
                    _checkSends++;
                    _retransmitInterval = Min(_retransmitInterval * 1.5, _options.MaxRetransmitInterval);
                    _timer.Change(_retransmitInterval, Timeout.InfiniteTimeSpan);
                    SendRequest();
                }
            }
            else if (_state == IceControllingState.Connected)
            {
                TimeSpan sinceConsent = _timeProvider.GetElapsedTime(_lastConsentTimestamp);
                if (sinceConsent >= _options.ConsentTimeout)
                {
                    changedTo = Fail();
                }
                else
                {
                    BeginTransaction(useCandidate: false);
                    _timer.Change(Min(NextConsentDelay(), _options.ConsentTimeout - sinceConsent), Timeout.InfiniteTimeSpan);
                    SendRequest();
                }
            }
        }

        Raise(changedTo);
    }

    // Under the lock.
    private IceControllingState Fail()
    {
        _state = IceControllingState.Failed;
        _transactionOpen = false;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return IceControllingState.Failed;
    }

    // Under the lock.
    private void BeginTransaction(bool useCandidate)
    {
        _random.GetBytes(_transactionId);
        StunMessageWriter request = StunMessageWriter.BindingRequest(
            _transactionId,
            _username,
            PeerReflexivePriority,
            StunIceRole.Controlling,
            TieBreaker,
            useCandidate,
            RemoteCredentials.PasswordBytes);
        if (!request.TryWrite(_request, out _requestLength))
        {
            throw new InvalidOperationException("The binding request does not fit its buffer; the ufrags are too long.");
        }

        _transactionOpen = true;
    }

    // Under the lock, after the timer is set: a sender that answers synchronously (an in-memory
    // link) re-enters HandleStun, which may set the timer again and must have the last word.
    private void SendRequest() => _sender.TrySend(_request.AsSpan(0, _requestLength), RemoteAddress);

    // Under the lock: 0.8 to 1.2 times the period (RFC 7675 section 5.1), so many callers started
    // together do not check in step.
    private TimeSpan NextConsentDelay()
    {
        Span<byte> bytes = stackalloc byte[4];
        _random.GetBytes(bytes);
        double factor = 0.8 + (0.4 * BinaryPrimitives.ReadUInt32BigEndian(bytes) / uint.MaxValue);
        return _options.ConsentInterval * factor;
    }

    // Outside the lock.
    private void Raise(IceControllingState? changedTo)
    {
        if (changedTo is not IceControllingState state)
        {
            return;
        }

        if (state is IceControllingState.Connected or IceControllingState.Failed)
        {
            _checkOutcome.TrySetResult(state == IceControllingState.Connected);
        }

        StateChanged?.Invoke(this, state);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
