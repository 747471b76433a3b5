using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Relay.Transport.Dtls.Interop;

namespace Relay.Transport.Dtls;

/// <summary>
/// DTLS 1.2 with one peer, for DTLS-SRTP (RFC 5764) as WebRTC uses it: runs the handshake through
/// OpenSSL over memory BIOs, checks the peer's certificate against the fingerprint from its SDP
/// (RFC 8842), and exports the SRTP keys. The owner feeds it the DTLS datagrams of the peer's
/// validated ICE pair, sends what it asks to send, and drives retransmission with a timer
/// (<see cref="GetTimeout"/>, <see cref="HandleTimeout"/>).
/// </summary>
/// <remarks>
/// Not thread-safe: one worker owns it. The packet path never comes here: after the handshake only
/// alerts (close_notify) and retransmitted handshake records are DTLS; media is SRTP.
/// A connected transport holds about 75 KB of OpenSSL memory, mostly its ~17 KB read and write
/// record buffers. SSL_free_buffers would release them between uses, but OpenSSL 3.0's DTLS write
/// path does not allocate a freed write buffer again, so the next SSL_shutdown crashes the process
/// (seen on 3.0.19); they are kept.
/// </remarks>
public sealed unsafe class DtlsTransport : IDisposable
{
    /// <summary>The largest datagram accepted: one maximal DTLS record (2^14 + 2048 bytes of fragment, and the header).</summary>
    internal const int MaxDatagramLength = (1 << 14) + 2048 + DtlsRecordHeader.Length;

    /// <summary>
    /// Input is fed one datagram at a time and OpenSSL reads it at once, so bytes left in the read
    /// BIO mean OpenSSL has stopped reading; past this, input is dropped rather than buffered.
    /// </summary>
    internal const int MaxPendingInputBytes = 4 * 1024;

    /// <summary>
    /// Datagrams with epoch-1 records accepted before the handshake completes. OpenSSL buffers up to
    /// 100 records of the next epoch until the peer's ChangeCipherSpec, each in a fresh read buffer
    /// of about 17 KB; a real peer sends epoch 1 only in its Finished flight and that flight's
    /// retransmissions, so this caps that memory at a sixth. The cost: a forger on the ICE pair who
    /// sends more can make the real Finished be dropped, which is no more than the forged plaintext
    /// alert that already ends any DTLS 1.2 handshake.
    /// </summary>
    internal const int MaxEarlyEpochOneDatagrams = 16;

    // AEAD overhead (explicit nonce and tag) of the suites DtlsContext allows. OpenSSL 3.0 ends the
    // connection, instead of dropping the record as RFC 6347 section 4.1.2.7 asks, when a record of
    // the current epoch is shorter than this (measured on 3.0.19 for every length from 1 byte up;
    // it fails inside an ERR mark, so the error queue is empty too). One forged 14-byte datagram on
    // the ICE pair would end the call, so such records are dropped before OpenSSL sees them. Related:
    // https://github.com/openssl/openssl/issues/25389
    private const int AesGcmRecordOverhead = 8 + 16;
    private const int ChaCha20Poly1305RecordOverhead = 16;

    private const int MinMtu = 256;
    private const int MaxMtu = 16 * 1024;

    // OpenSSL 3.0 fails the handshake once a flight has timed out more than DTLS1_TMO_ALERT_COUNT times.
    private const int RetransmissionGiveUpCount = 12;

    // OpenSSL counts a timer with less than 15 ms left as expired, and checks it on every read, so a
    // shorter first timeout would send each flight twice at once.
    private static readonly TimeSpan MinRetransmissionTimeout = TimeSpan.FromMilliseconds(20);

    private readonly IDtlsTransportListener _listener;
    private readonly TimeProvider _timeProvider;
    private readonly DtlsFingerprint _remoteFingerprint;
    private readonly SafeSslHandle _ssl;
    private readonly IntPtr _readBio;
    private readonly IntPtr _writeBio;
    private readonly int _mtu;
    private readonly uint _initialRetransmissionMicroseconds;
    private readonly uint _maxRetransmissionMicroseconds;
    private readonly TimeSpan _handshakeTimeout;

    private DtlsState _state;
    private DtlsState _publishedState;
    private int _reachedStates;
    private string? _reason;
    private string? _certificateFailure;
    private DtlsSrtpKeys? _srtpKeys;
    private long _startTimestamp;
    private long _receivedDatagrams;
    private long _droppedDatagrams;
    private int _earlyEpochOneDatagrams;
    private int _recordOverhead;
    private bool _busy;
    private bool _closeRequested;
    private bool _disposeRequested;
    private bool _disposed;

    /// <summary>
    /// Prepares a transport; nothing is sent until <see cref="Start"/>. <paramref name="timeProvider"/>
    /// measures the handshake limit (OpenSSL keeps its own clock for retransmissions).
    /// </summary>
    public DtlsTransport(DtlsTransportOptions options, IDtlsTransportListener listener, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listener);
        Validate(options);

        _listener = listener;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _remoteFingerprint = options.RemoteFingerprint;
        Role = options.Role;
        _mtu = options.Mtu;
        _initialRetransmissionMicroseconds = (uint)(options.InitialRetransmissionTimeout.Ticks / TimeSpan.TicksPerMicrosecond);
        _maxRetransmissionMicroseconds = (uint)(options.MaxRetransmissionTimeout.Ticks / TimeSpan.TicksPerMicrosecond);
        _handshakeTimeout = options.HandshakeTimeout;
        _reachedStates = 1 << (int)DtlsState.New;

        OpenSslError.Clear();
        _ssl = Libssl.SSL_new(options.Certificate.Context);
        if (_ssl.IsInvalid)
        {
            _ssl.Dispose();
            throw SetupFailure("SSL_new");
        }

        try
        {
            // The handle is freed with the SSL (SafeSslHandle), so a transport never disposed leaks nothing.
            GCHandle self = GCHandle.Alloc(this, GCHandleType.Weak);
            if (Libssl.SSL_set_ex_data(_ssl, Libssl.AppDataIndex, GCHandle.ToIntPtr(self)) != 1)
            {
                self.Free();
                throw SetupFailure("SSL_set_ex_data");
            }

            _readBio = NewMemoryBio();
            try
            {
                _writeBio = NewMemoryBio();
            }
            catch
            {
                _ = Libcrypto.BIO_free(_readBio);
                throw;
            }

            // From here the SSL owns both BIOs and frees them with itself.
            Libssl.SSL_set_bio(_ssl, _readBio, _writeBio);

            Libssl.SSL_set_verify(_ssl, Libssl.VerifyPeer | Libssl.VerifyFailIfNoPeerCert, &VerifyCertificate);
            Libssl.DTLS_set_timer_cb(_ssl, &NextRetransmissionTimeout);

            // SSL_set_tlsext_use_srtp returns 0 on success, unlike most of OpenSSL.
            if (Libssl.SSL_set_tlsext_use_srtp(_ssl, SrtpProfileList(options.SrtpProfiles)) != 0)
            {
                throw SetupFailure("SSL_set_tlsext_use_srtp");
            }

            // With SSL_OP_NO_QUERY_MTU (set on the context) OpenSSL keeps this instead of asking the
            // BIO, which a memory BIO cannot answer. Records, header included, fit in it.
            if (Libssl.SSL_ctrl(_ssl, Libssl.SslCtrlSetMtu, _mtu, null) != _mtu)
            {
                throw SetupFailure("SSL_set_mtu");
            }

            if (Role == DtlsRole.Server)
            {
                Libssl.SSL_set_accept_state(_ssl);
            }
            else
            {
                Libssl.SSL_set_connect_state(_ssl);
            }
        }
        catch
        {
            _ssl.Dispose();
            throw;
        }
    }

    public DtlsRole Role { get; }

    public DtlsState State => _state;

    /// <summary>
    /// Why the transport is <see cref="DtlsState.Closed"/> or <see cref="DtlsState.Failed"/>, in
    /// words a person can act on, e.g. "remote certificate fingerprint does not match the SDP ...";
    /// null before then.
    /// </summary>
    public string? Reason => _reason;

    /// <summary>The negotiated SRTP profile and keys, once <see cref="DtlsState.Connected"/>; null otherwise.</summary>
    public DtlsSrtpKeys? SrtpKeys => _srtpKeys;

    /// <summary>
    /// Datagrams ignored: not DTLS records, oversized, arriving after the transport ended, or over
    /// the input limits that keep a flood from growing memory.
    /// </summary>
    public long DroppedDatagrams => _droppedDatagrams;

    /// <summary>Bytes waiting in the read BIO; 0 except while OpenSSL is not reading.</summary>
    /// <summary>Whether <see cref="Dispose"/> has run; an owner drops datagrams for a disposed peer.</summary>
    internal bool IsDisposed => _disposed;

    internal int PendingInputBytes => _disposed ? 0 : (int)Libcrypto.BIO_ctrl(_readBio, Libcrypto.BioCtrlPending, 0, null);

    /// <summary>
    /// Begins the handshake: a client sends its ClientHello, a server waits for one. Moves to
    /// <see cref="DtlsState.Connecting"/> and starts the handshake time limit.
    /// </summary>
    public void Start()
    {
        EnterCall();
        try
        {
            if (_state != DtlsState.New)
            {
                throw new InvalidOperationException("The DTLS transport has already been started.");
            }

            _startTimestamp = _timeProvider.GetTimestamp();
            SetState(DtlsState.Connecting);
            if (Role == DtlsRole.Client)
            {
                Drive();
            }

            Publish();
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>
    /// Feeds one datagram received from the peer (first byte 20 to 63 per RFC 7983, from the
    /// validated ICE pair) and sends whatever it calls for. Bad input is dropped and counted, never
    /// thrown; a fatal alert or close_notify from the peer ends the transport.
    /// </summary>
    public void ProcessIncoming(ReadOnlySpan<byte> datagram)
    {
        EnterCall();
        try
        {
            if (_state == DtlsState.New)
            {
                throw new InvalidOperationException("Start the DTLS transport before feeding it datagrams.");
            }

            if (_state is DtlsState.Closed or DtlsState.Failed || !Admit(datagram))
            {
                _droppedDatagrams++;
                return;
            }

            int written;
            fixed (byte* data = datagram)
            {
                written = Libcrypto.BIO_write(_readBio, data, datagram.Length);
            }

            if (written != datagram.Length)
            {
                // A memory BIO write fails only when memory runs out.
                _droppedDatagrams++;
                return;
            }

            _receivedDatagrams++;

            Drive();
            Publish();
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>
    /// How long until <see cref="HandleTimeout"/> should be called: the retransmission timer while a
    /// flight is unanswered, and the handshake time limit; null when nothing is pending. Ask again
    /// after every call, since each may start or stop the timer.
    /// </summary>
    public TimeSpan? GetTimeout()
    {
        if (_disposed || _state is not (DtlsState.Connecting or DtlsState.Connected))
        {
            return null;
        }

        TimeSpan? timeout = null;
        Timeval remaining;
        if (Libssl.SSL_ctrl(_ssl, Libssl.DtlsCtrlGetTimeout, 0, &remaining) == 1)
        {
            timeout = remaining.ToTimeSpan();
        }

        if (_state == DtlsState.Connecting)
        {
            TimeSpan untilLimit = _handshakeTimeout - _timeProvider.GetElapsedTime(_startTimestamp);
            if (untilLimit < TimeSpan.Zero)
            {
                untilLimit = TimeSpan.Zero;
            }

            if (timeout is null || untilLimit < timeout.Value)
            {
                timeout = untilLimit;
            }
        }

        return timeout;
    }

    /// <summary>
    /// Called when <see cref="GetTimeout"/> has elapsed: retransmits the last flight if OpenSSL's timer
    /// expired, and fails the transport if the handshake has run past its limit or OpenSSL has given
    /// up retransmitting. Calling it early does nothing.
    /// </summary>
    public void HandleTimeout()
    {
        EnterCall();
        try
        {
            if (_state is not (DtlsState.Connecting or DtlsState.Connected))
            {
                return;
            }

            if (_state == DtlsState.Connecting && _timeProvider.GetElapsedTime(_startTimestamp) >= _handshakeTimeout)
            {
                Fail(HandshakeTimeoutReason());
            }
            else
            {
                OpenSslError.Clear();
                if (Libssl.SSL_ctrl(_ssl, Libssl.DtlsCtrlHandleTimeout, 0, null) < 0)
                {
                    Fail($"the DTLS handshake gave up after retransmitting {RetransmissionGiveUpCount} times without an answer from the peer ({OpenSslError.Drain("read timeout expired")})");
                }
            }

            Publish();
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>
    /// Ends the transport: once connected, sends close_notify so the peer can end too. Moves to
    /// <see cref="DtlsState.Closed"/>; does nothing if already Closed or Failed.
    /// </summary>
    public void Close()
    {
        if (_disposed)
        {
            return;
        }

        if (_busy)
        {
            _closeRequested = true;
            return;
        }

        EnterCall();
        try
        {
            CloseCore();
            Publish();
        }
        finally
        {
            ExitCall();
        }
    }

    /// <summary>Frees the OpenSSL objects and clears the keys. Sends nothing: call <see cref="Close"/> first to tell the peer.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_busy)
        {
            _disposeRequested = true;
            return;
        }

        DisposeCore();
    }

    private static void Validate(DtlsTransportOptions options)
    {
        if (options.Role is not (DtlsRole.Server or DtlsRole.Client))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Role must be Server or Client.");
        }

        ArgumentNullException.ThrowIfNull(options.Certificate, "options.Certificate");
        ArgumentNullException.ThrowIfNull(options.RemoteFingerprint, "options.RemoteFingerprint");
        ArgumentNullException.ThrowIfNull(options.SrtpProfiles, "options.SrtpProfiles");
        if (options.SrtpProfiles.Count == 0)
        {
            throw new ArgumentException("At least one SRTP profile is needed.", nameof(options));
        }

        foreach (DtlsSrtpProfile profile in options.SrtpProfiles)
        {
            if (!DtlsSrtpKeys.IsDefined(profile))
            {
                throw new ArgumentException($"Unknown SRTP profile 0x{(ushort)profile:X4}.", nameof(options));
            }
        }

        if (options.Mtu is < MinMtu or > MaxMtu)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Mtu must be between {MinMtu} and {MaxMtu}.");
        }

        if (options.InitialRetransmissionTimeout < MinRetransmissionTimeout ||
            options.MaxRetransmissionTimeout < options.InitialRetransmissionTimeout ||
            options.MaxRetransmissionTimeout > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Retransmission timeouts must satisfy 20 ms <= initial <= max <= 60 s.");
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "HandshakeTimeout must be positive.");
        }
    }

    private static string SrtpProfileList(IReadOnlyList<DtlsSrtpProfile> profiles)
    {
        var names = new string[profiles.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = DtlsSrtpKeys.GetOpenSslName(profiles[i]);
        }

        return string.Join(':', names);
    }

    private static IntPtr NewMemoryBio()
    {
        IntPtr bio = Libcrypto.BIO_new(Libcrypto.BIO_s_mem());
        if (bio == IntPtr.Zero)
        {
            throw SetupFailure("BIO_new");
        }

        // Reading an empty BIO then means "retry later" (SSL_ERROR_WANT_READ), not end of stream.
        Libcrypto.BIO_ctrl(bio, Libcrypto.BioSetBufMemEofReturn, -1, null);
        return bio;
    }

    private static CryptographicException SetupFailure(string operation) =>
        new($"OpenSSL {operation} failed: {OpenSslError.Drain("no error reported")}");

    private static DtlsTransport? FromSsl(IntPtr ssl)
    {
        IntPtr appData = ssl == IntPtr.Zero ? IntPtr.Zero : Libssl.SSL_get_ex_data(ssl, Libssl.AppDataIndex);
        return appData == IntPtr.Zero ? null : GCHandle.FromIntPtr(appData).Target as DtlsTransport;
    }

    /// <summary>
    /// OpenSSL's certificate verify callback. Trust comes from the SDP fingerprint, not a CA, so chain
    /// errors (self-signed, unknown issuer, dates) are accepted; the peer's own certificate (depth 0)
    /// must match the fingerprint, or the handshake fails here and the peer gets a bad_certificate alert.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int VerifyCertificate(int preverifyOk, IntPtr storeContext)
    {
        try
        {
            if (Libcrypto.X509_STORE_CTX_get_error_depth(storeContext) != 0)
            {
                return 1;
            }

            IntPtr ssl = Libcrypto.X509_STORE_CTX_get_ex_data(storeContext, Libssl.SSL_get_ex_data_X509_STORE_CTX_idx());
            IntPtr certificate = Libcrypto.X509_STORE_CTX_get_current_cert(storeContext);
            DtlsTransport? transport = FromSsl(ssl);
            if (transport is not null && certificate != IntPtr.Zero && transport.PeerCertificateMatches(certificate))
            {
                return 1;
            }

            Libcrypto.X509_STORE_CTX_set_error(storeContext, Libcrypto.X509VErrCertRejected);
            return 0;
        }
        catch (Exception)
        {
            // An exception must not unwind into OpenSSL; refusing the certificate is the safe answer.
            return 0;
        }
    }

    /// <summary>
    /// OpenSSL's DTLS timer callback: the next retransmission timeout in microseconds, given the last
    /// (0 when a flight is first sent). Doubles from the configured start up to the configured cap.
    /// </summary>
    [UnmanagedCallersOnly]
    private static uint NextRetransmissionTimeout(IntPtr ssl, uint previousMicroseconds)
    {
        uint initial = 1_000_000;
        uint max = 60_000_000;
        try
        {
            if (FromSsl(ssl) is { } transport)
            {
                initial = transport._initialRetransmissionMicroseconds;
                max = transport._maxRetransmissionMicroseconds;
            }
        }
        catch (Exception)
        {
            // Keep OpenSSL's own defaults.
        }

        if (previousMicroseconds == 0)
        {
            return initial;
        }

        return previousMicroseconds >= max / 2 ? max : previousMicroseconds * 2;
    }

    private void EnterCall()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_busy)
        {
            throw new InvalidOperationException("A DTLS transport's listener may only call Close or Dispose on it.");
        }

        _busy = true;
    }

    private void ExitCall()
    {
        try
        {
            while (_closeRequested && !_disposed)
            {
                _closeRequested = false;
                CloseCore();
                Publish();
            }
        }
        finally
        {
            _busy = false;
            if (_disposeRequested)
            {
                DisposeCore();
            }
        }
    }

    private void DisposeCore()
    {
        _disposed = true;
        _ssl.Dispose();
        _srtpKeys?.Clear();
    }

    /// <summary>
    /// Screens a datagram before OpenSSL sees it, so that hostile input can neither end the
    /// connection through OpenSSL's weak spots nor make it buffer much (see
    /// <see cref="DtlsDatagrams.Screen"/>); epoch 1 before the handshake completes is rationed
    /// (see <see cref="MaxEarlyEpochOneDatagrams"/>).
    /// </summary>
    private bool Admit(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length is 0 or > MaxDatagramLength)
        {
            return false;
        }

        DtlsScreening screening = DtlsDatagrams.Screen(datagram, RecordOverhead());
        if (screening == DtlsScreening.Reject)
        {
            return false;
        }

        if (screening == DtlsScreening.AcceptWithEpochOne && _state == DtlsState.Connecting &&
            ++_earlyEpochOneDatagrams > MaxEarlyEpochOneDatagrams)
        {
            return false;
        }

        return Libcrypto.BIO_ctrl(_readBio, Libcrypto.BioCtrlPending, 0, null) <= MaxPendingInputBytes;
    }

    /// <summary>
    /// The AEAD overhead of the negotiated cipher suite; until one is chosen, the larger of the
    /// two, since no epoch-1 record can legitimately arrive before then.
    /// </summary>
    private int RecordOverhead()
    {
        if (_recordOverhead == 0)
        {
            IntPtr cipher = Libssl.SSL_get_current_cipher(_ssl);
            if (cipher == IntPtr.Zero)
            {
                return AesGcmRecordOverhead;
            }

            _recordOverhead = Libssl.SSL_CIPHER_get_cipher_nid(cipher) == Libssl.NidChacha20Poly1305
                ? ChaCha20Poly1305RecordOverhead
                : AesGcmRecordOverhead;
        }

        return _recordOverhead;
    }

    /// <summary>Lets OpenSSL act on what is in the read BIO: advance the handshake, or read (and discard) records after it.</summary>
    private void Drive()
    {
        if (_state == DtlsState.Connecting)
        {
            OpenSslError.Clear();
            int result = Libssl.SSL_do_handshake(_ssl);
            if (result != 1)
            {
                OnSslError(result, "DTLS handshake failed");
                return;
            }

            CompleteHandshake();
        }

        if (_state == DtlsState.Connected)
        {
            DrainApplicationData();
        }
    }

    /// <summary>
    /// WebRTC without data channels sends no DTLS application data, but SSL_read is what processes
    /// records after the handshake (alerts, the peer's retransmitted Finished), so read and discard.
    /// </summary>
    private void DrainApplicationData()
    {
        const int BufferLength = 2048;
        byte* buffer = stackalloc byte[BufferLength];
        while (true)
        {
            OpenSslError.Clear();
            int result = Libssl.SSL_read(_ssl, buffer, BufferLength);
            if (result <= 0)
            {
                OnSslError(result, "DTLS connection failed");
                return;
            }
        }
    }

    private void OnSslError(int result, string context)
    {
        int error = Libssl.SSL_get_error(_ssl, result);
        switch (error)
        {
            case Libssl.ErrorWantRead:
                OpenSslError.Clear();
                break;
            case Libssl.ErrorZeroReturn:
                // Answer the peer's close_notify with ours, as TLS expects.
                OpenSslError.Clear();
                Libssl.SSL_shutdown(_ssl);
                OpenSslError.Clear();
                SetTerminal(DtlsState.Closed, "the peer closed the DTLS connection (close_notify)");
                break;
            default:
                string errors = OpenSslError.Drain($"OpenSSL reported no error (SSL_get_error {error}, result {result})");
                Fail(_certificateFailure ?? $"{context}: {errors}");
                break;
        }
    }

    private void CompleteHandshake()
    {
        // The verify callback has already refused a mismatching certificate; this check is the one
        // that gates the keys, so it stands even if OpenSSL skipped the callback.
        using (SafeX509Handle peerCertificate = Libssl.SSL_get1_peer_certificate(_ssl))
        {
            if (peerCertificate.IsInvalid)
            {
                FailConnected("the peer presented no certificate");
                return;
            }

            if (!PeerCertificateMatches(peerCertificate.DangerousGetHandle()))
            {
                FailConnected(_certificateFailure ?? "remote certificate fingerprint does not match the SDP");
                return;
            }
        }

        IntPtr selected = Libssl.SSL_get_selected_srtp_profile(_ssl);
        if (selected == IntPtr.Zero)
        {
            FailConnected("the peer did not negotiate SRTP: it sent no use_srtp extension, or none of its profiles is one this side offers");
            return;
        }

        // SRTP_PROTECTION_PROFILE is { const char *name; unsigned long id; }.
        var profile = (DtlsSrtpProfile)(ushort)*(nuint*)(selected + IntPtr.Size);
        if (!DtlsSrtpKeys.IsDefined(profile))
        {
            FailConnected($"the peer negotiated SRTP profile 0x{(ushort)profile:X4}, which is not supported");
            return;
        }

        int exportLength = DtlsSrtpKeys.GetExportLength(profile);
        Span<byte> material = stackalloc byte[2 * (32 + 14)];
        material = material[..exportLength];
        ReadOnlySpan<byte> label = "EXTRACTOR-dtls_srtp"u8;
        int exported;
        fixed (byte* output = material)
        fixed (byte* labelBytes = label)
        {
            OpenSslError.Clear();
            exported = Libssl.SSL_export_keying_material(_ssl, output, (nuint)exportLength, labelBytes, (nuint)label.Length, null, 0, 0);
        }

        if (exported != 1)
        {
            FailConnected($"exporting the SRTP keys failed: {OpenSslError.Drain("no error reported by OpenSSL")}");
            return;
        }

        _srtpKeys = DtlsSrtpKeys.FromExportedKeyingMaterial(profile, Role, material);
        CryptographicOperations.ZeroMemory(material);
        SetState(DtlsState.Connected);
    }

    /// <summary>Whether the DER encoding of <paramref name="certificate"/> (an X509*) matches the expected fingerprint; records why not.</summary>
    private bool PeerCertificateMatches(IntPtr certificate)
    {
        int length = Libcrypto.i2d_X509(certificate, null);
        if (length <= 0)
        {
            _certificateFailure = "the peer's certificate could not be encoded to check its fingerprint";
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            fixed (byte* start = buffer)
            {
                byte* cursor = start;
                if (Libcrypto.i2d_X509(certificate, &cursor) != length)
                {
                    _certificateFailure = "the peer's certificate could not be encoded to check its fingerprint";
                    return false;
                }
            }

            ReadOnlySpan<byte> der = buffer.AsSpan(0, length);
            if (_remoteFingerprint.Matches(der))
            {
                return true;
            }

            _certificateFailure = "remote certificate fingerprint does not match the SDP: the SDP has "
                + _remoteFingerprint + ", the peer presented " + DtlsFingerprint.Compute(_remoteFingerprint.Algorithm, der);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CloseCore()
    {
        switch (_state)
        {
            case DtlsState.New:
                SetTerminal(DtlsState.Closed, "closed locally before the handshake started");
                break;
            case DtlsState.Connecting:
                // OpenSSL refuses SSL_shutdown during the handshake; the peer's handshake times out.
                SetTerminal(DtlsState.Closed, "closed locally before the handshake completed");
                break;
            case DtlsState.Connected:
                OpenSslError.Clear();
                Libssl.SSL_shutdown(_ssl);
                OpenSslError.Clear();
                SetTerminal(DtlsState.Closed, "closed locally");
                break;
        }
    }

    /// <summary>Fails after OpenSSL finished the handshake: the peer believes it is connected, so send close_notify.</summary>
    private void FailConnected(string reason)
    {
        OpenSslError.Clear();
        Libssl.SSL_shutdown(_ssl);
        OpenSslError.Clear();
        Fail(reason);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fail(string reason) => SetTerminal(DtlsState.Failed, reason);

    private void SetTerminal(DtlsState state, string reason)
    {
        if (_state is DtlsState.Closed or DtlsState.Failed)
        {
            return;
        }

        _reason = reason;
        SetState(state);
    }

    private void SetState(DtlsState state)
    {
        _state = state;
        _reachedStates |= 1 << (int)state;
    }

    private string HandshakeTimeoutReason()
    {
        string seconds = _handshakeTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return _receivedDatagrams == 0
            ? $"the DTLS handshake did not complete within {seconds} s: no DTLS packets arrived from the peer"
            : $"the DTLS handshake did not complete within {seconds} s: the peer stopped answering";
    }

    /// <summary>
    /// Sends what OpenSSL wrote, then tells the listener of each state reached since it last heard,
    /// in order. Output is copied out of the BIO first, so a Close or Dispose requested from a
    /// callback (deferred until the call returns) cannot disturb it.
    /// </summary>
    private void Publish()
    {
        int pending = (int)Libcrypto.BIO_ctrl(_writeBio, Libcrypto.BioCtrlPending, 0, null);
        if (pending > 0)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(pending);
            try
            {
                int read;
                fixed (byte* destination = buffer)
                {
                    read = Libcrypto.BIO_read(_writeBio, destination, pending);
                }

                ReadOnlySpan<byte> records = buffer.AsSpan(0, Math.Max(read, 0));
                while (!records.IsEmpty)
                {
                    int length = DtlsDatagrams.NextDatagramLength(records, _mtu);
                    _listener.SendDatagram(this, records[..length]);
                    records = records[length..];
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        for (int state = (int)_publishedState + 1; state <= (int)_state; state++)
        {
            if ((_reachedStates & (1 << state)) != 0)
            {
                _publishedState = (DtlsState)state;
                _listener.OnStateChanged(this, (DtlsState)state);
            }
        }

        _publishedState = _state;
    }
}
