using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Relay.Protocols.Rtp;

namespace Relay.Protocols.Srtp;

/// <summary>
/// One direction of SRTP and SRTCP (RFC 3711, RFC 7714): the keys derived from one master key and
/// salt, the reused crypto objects, and a bounded table of per-SSRC state (rollover counter, highest
/// index, replay windows). Protects or unprotects packets in place without allocating.
/// </summary>
/// <remarks>
/// <para>
/// A session works in one direction only: the first call to a Protect method makes it a sending
/// session, the first call to an Unprotect method a receiving one, and calling the other kind
/// afterwards throws <see cref="InvalidOperationException"/>. DTLS-SRTP gives each side its own master
/// key, so a transport holds two sessions; sharing one would let a sender and a receiver on the same
/// SSRC reuse keystream (or, for GCM, a nonce).
/// </para>
/// <para>
/// Not thread-safe. A session belongs to one worker, which makes every call on it, including
/// <see cref="Dispose"/>. Nothing in it blocks, and the packet path allocates nothing after
/// construction, with one exception outside our control: .NET's <c>AesGcm</c> reports a bad GCM tag
/// only by throwing, which is caught inside and returned as
/// <see cref="SrtpError.AuthenticationFailed"/>, but costs that forged packet an exception.
/// </para>
/// <para>
/// Receiving, the order is fixed: parse, look up the SSRC, estimate the index, refuse replays and
/// packets older than the window, verify the tag (then decrypt), and only then commit the new
/// index. A packet that fails at any step changes nothing: not the rollover counter, not the window,
/// and it creates no per-SSRC state. An SSRC gets state when its first packet authenticates, up to
/// <see cref="MaxSsrcs"/>; packets from further SSRCs are refused with
/// <see cref="SrtpError.TooManySsrcs"/> before any crypto is spent on them.
/// </para>
/// <para>
/// SRTP packet (RFC 3711 section 3.1; with GCM the tag is 16 bytes and there is no MKI):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+&lt;+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         | |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// |                           timestamp                           | |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// |           synchronization source (SSRC) identifier            | |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
/// |            contributing source (CSRC) identifiers             | |
/// |                               ....                            | |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// |                   RTP extension (OPTIONAL)                    | |
/// +&gt;+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// | |                          payload  ...                         | |
/// | |                               +-------------------------------+ |
/// | |                               | RTP padding   | RTP pad count | |
/// +&gt;+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+&lt;+
/// | :                 authentication tag (10, 4 or 16 bytes)        : |
/// | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// +- Encrypted Portion                       Authenticated Portion ---+
/// </code>
/// SRTCP packet (RFC 3711 section 3.4; with GCM, RFC 7714 section 9, the 16-byte tag comes before the
/// E|index word instead of after it):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+&lt;+
/// |V=2|P|    RC   |   PT=SR or RR   |             length          | |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// |                         SSRC of sender                        | |
/// +&gt;+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
/// | ~          sender info, report blocks, further packets ...      ~ |
/// +&gt;+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// | |E|                         SRTCP index                         | |
/// | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+&lt;+
/// | :                 authentication tag (10 bytes)                 : |
/// | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
/// +-- Encrypted Portion                    Authenticated Portion -----+
/// </code>
/// </para>
/// </remarks>
public sealed class SrtpSession : IDisposable
{
    /// <summary>SSRCs a session tracks unless told otherwise: several simulcast layers with RTX, audio and RTCP-only sources.</summary>
    public const int DefaultMaxSsrcs = 32;

    /// <summary>Packets remembered below the highest index for replay protection, for SRTP and for SRTCP.</summary>
    public const int ReplayWindowSize = SrtpReplayWindow.Size;

    private const int MaxSsrcLimit = 4096;
    private const uint MaxSrtcpIndex = 0x7FFF_FFFF;

    private readonly SrtpCipher _rtp;
    private readonly SrtpCipher _rtcp;
    private readonly uint[] _ssrcs;
    private readonly SrtpStreamState[] _streams;
    private int _count;
    private int _lastFound;
    private Role _role;

    /// <summary>
    /// Derives the session keys from a master key and salt (RFC 3711 section 4.3, key derivation
    /// rate zero) and sets up the crypto objects.
    /// </summary>
    /// <param name="profile">The negotiated protection profile.</param>
    /// <param name="masterKey">The master key: <see cref="SrtpProfileExtensions"/> <c>MasterKeyLength</c> bytes.</param>
    /// <param name="masterSalt">The master salt: <c>MasterSaltLength</c> bytes (14, or 12 for GCM).</param>
    /// <param name="maxSsrcs">SSRCs this session will keep state for; packets from more are refused.</param>
    public SrtpSession(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, int maxSsrcs = DefaultMaxSsrcs)
    {
        if (!profile.IsSupported)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(profile));
        }

        if (masterKey.Length != profile.MasterKeyLength)
        {
            ThrowHelper.ThrowArgument($"{profile} needs a {profile.MasterKeyLength}-byte master key.", nameof(masterKey));
        }

        if (masterSalt.Length != profile.MasterSaltLength)
        {
            ThrowHelper.ThrowArgument($"{profile} needs a {profile.MasterSaltLength}-byte master salt.", nameof(masterSalt));
        }

        ValidateMaxSsrcs(maxSsrcs);
        Profile = profile;
        (_rtp, _rtcp) = DeriveCiphers(profile, masterKey, masterSalt);
        _ssrcs = new uint[maxSsrcs];
        _streams = new SrtpStreamState[maxSsrcs];
    }

    private SrtpSession(SrtpProfile profile, SrtpCipher rtp, SrtpCipher rtcp, int maxSsrcs)
    {
        ValidateMaxSsrcs(maxSsrcs);
        Profile = profile;
        _rtp = rtp;
        _rtcp = rtcp;
        _ssrcs = new uint[maxSsrcs];
        _streams = new SrtpStreamState[maxSsrcs];
    }

    private enum Role : byte
    {
        Unused,
        Protecting,
        Unprotecting,
        Disposed,
    }

    /// <summary>The protection profile the keys were derived for.</summary>
    public SrtpProfile Profile { get; }

    /// <summary>SSRCs this session keeps state for at most.</summary>
    public int MaxSsrcs => _ssrcs.Length;

    /// <summary>SSRCs the session has state for now.</summary>
    public int SsrcCount => _count;

    /// <summary>Bytes <see cref="ProtectRtp"/> appends: the SRTP tag. Leave this much room after each packet.</summary>
    public int RtpTrailerLength => _rtp.TagLength;

    /// <summary>Bytes <see cref="ProtectRtcp"/> appends: the E flag and SRTCP index word and the tag.</summary>
    public int RtcpTrailerLength => _rtcp.RtcpTrailerLength;

    /// <summary>
    /// Splits keying material exported from a DTLS-SRTP handshake (RFC 5764 section 4.2) into the two
    /// sessions of one endpoint: the one protecting what it sends and the one unprotecting what it
    /// receives.
    /// </summary>
    /// <remarks>
    /// <code>
    /// client_write_SRTP_master_key | server_write_SRTP_master_key |
    /// client_write_SRTP_master_salt | server_write_SRTP_master_salt
    /// </code>
    /// </remarks>
    /// <param name="profile">The profile the handshake negotiated.</param>
    /// <param name="keyingMaterial">Exactly <c>KeyingMaterialLength</c> bytes exported with the label "EXTRACTOR-dtls_srtp".</param>
    /// <param name="isDtlsClient">Whether this endpoint was the DTLS client; it then writes with the client keys.</param>
    /// <param name="maxSsrcs">SSRCs each session keeps state for.</param>
    public static (SrtpSession Outbound, SrtpSession Inbound) CreateFromDtlsKeyingMaterial(
        SrtpProfile profile, ReadOnlySpan<byte> keyingMaterial, bool isDtlsClient, int maxSsrcs = DefaultMaxSsrcs)
    {
        if (!profile.IsSupported)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(profile));
        }

        if (keyingMaterial.Length != profile.KeyingMaterialLength)
        {
            ThrowHelper.ThrowArgument($"{profile} needs {profile.KeyingMaterialLength} bytes of keying material.", nameof(keyingMaterial));
        }

        int keyLength = profile.MasterKeyLength;
        int saltLength = profile.MasterSaltLength;
        ReadOnlySpan<byte> clientKey = keyingMaterial.Slice(0, keyLength);
        ReadOnlySpan<byte> serverKey = keyingMaterial.Slice(keyLength, keyLength);
        ReadOnlySpan<byte> clientSalt = keyingMaterial.Slice(2 * keyLength, saltLength);
        ReadOnlySpan<byte> serverSalt = keyingMaterial.Slice((2 * keyLength) + saltLength, saltLength);

        var client = new SrtpSession(profile, clientKey, clientSalt, maxSsrcs);
        SrtpSession server;
        try
        {
            server = new SrtpSession(profile, serverKey, serverSalt, maxSsrcs);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return isDtlsClient ? (client, server) : (server, client);
    }

    /// <summary>
    /// Builds a session straight from session keys, skipping key derivation, for known-answer vectors
    /// stated at that level (RFC 7714 section 16). The authentication keys are empty for GCM.
    /// </summary>
    internal static SrtpSession FromSessionKeys(
        SrtpProfile profile,
        ReadOnlySpan<byte> rtpKey,
        ReadOnlySpan<byte> rtpSalt,
        ReadOnlySpan<byte> rtpAuthenticationKey,
        ReadOnlySpan<byte> rtcpKey,
        ReadOnlySpan<byte> rtcpSalt,
        ReadOnlySpan<byte> rtcpAuthenticationKey,
        int maxSsrcs = DefaultMaxSsrcs)
    {
        SrtpCipher rtp = CreateCipher(profile, rtpKey, rtpSalt, rtpAuthenticationKey, profile.RtpTagLength);
        SrtpCipher rtcp = CreateCipher(profile, rtcpKey, rtcpSalt, rtcpAuthenticationKey, profile.RtcpTagLength);
        return new SrtpSession(profile, rtp, rtcp, maxSsrcs);
    }

    /// <summary>
    /// Encrypts and tags the RTP packet in <c>buffer[..length]</c> in place, appending the tag, so
    /// <paramref name="buffer"/> needs <see cref="RtpTrailerLength"/> bytes free after the packet.
    /// </summary>
    /// <remarks>
    /// The index comes from the packet's sequence number and this SSRC's own rollover counter, which
    /// advances when the sequence number wraps. An index this session has already used, or one
    /// older than the replay window, is refused: reusing it would reuse keystream, and for GCM the
    /// nonce. Refusals leave the buffer and the state unchanged.
    /// </remarks>
    /// <param name="buffer">The packet followed by room for the tag.</param>
    /// <param name="length">Bytes of RTP packet at the start of <paramref name="buffer"/>.</param>
    /// <param name="protectedLength">On success, the SRTP packet's length.</param>
    public SrtpError ProtectRtp(Span<byte> buffer, int length, out int protectedLength) =>
        ProtectRtp(buffer, length, allowRepeatedIndex: false, out protectedLength);

    /// <summary>
    /// As <see cref="ProtectRtp(Span{byte}, int, out int)"/>, but an index this session has already
    /// used (inside the replay window) is protected again instead of refused: libsrtp's
    /// <c>allow_repeat_tx</c>, for retransmitting a packet under its original sequence number.
    /// </summary>
    /// <remarks>
    /// Safe only for the very same packet: the same index and the same plaintext give the same
    /// ciphertext and tag, so an eavesdropper learns nothing new. A different packet under a used index
    /// would reuse keystream (for GCM, the nonce), which is why this is a separate, explicit call and
    /// never the default. An index older than the replay window is still refused
    /// (<see cref="SrtpError.TooOld"/>), as in libsrtp.
    /// </remarks>
    public SrtpError ProtectRtpRetransmission(Span<byte> buffer, int length, out int protectedLength) =>
        ProtectRtp(buffer, length, allowRepeatedIndex: true, out protectedLength);

    private SrtpError ProtectRtp(Span<byte> buffer, int length, bool allowRepeatedIndex, out int protectedLength)
    {
        protectedLength = 0;
        EnterRole(Role.Protecting);
        if ((uint)length > (uint)buffer.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(length));
        }

        if (length < RtpHeader.FixedLength)
        {
            return SrtpError.TooShort;
        }

        if (!RtpHeader.TryRead(buffer.Slice(0, length), out RtpHeader header))
        {
            return SrtpError.BadHeader;
        }

        if (buffer.Length - length < _rtp.TagLength)
        {
            return SrtpError.BufferTooSmall;
        }

        SrtpStreamState fresh = default;
        int slot = FindStream(header.Ssrc);
        ref SrtpStreamState stream = ref fresh;
        if (slot >= 0)
        {
            stream = ref _streams[slot];
        }
        else if (_count == _ssrcs.Length)
        {
            return SrtpError.TooManySsrcs;
        }

        SrtpError error = EstimateIndex(in stream, header.SequenceNumber, out ulong index);
        if (error != SrtpError.None && !(error == SrtpError.Replayed && allowRepeatedIndex))
        {
            return error;
        }

        _rtp.ProtectRtp(buffer, header.HeaderLength, length, header.Ssrc, index);
        Commit(ref stream, slot, header.Ssrc, fresh).Rtp.Accept(index);
        protectedLength = length + _rtp.TagLength;
        return SrtpError.None;
    }

    /// <summary>
    /// Verifies and decrypts the SRTP packet that is all of <paramref name="packet"/>, in place. On
    /// success the RTP packet is <c>packet[..plainLength]</c>; on failure the state is unchanged and
    /// the packet's bytes are unspecified.
    /// </summary>
    public SrtpError UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        EnterRole(Role.Unprotecting);
        int authenticatedLength = packet.Length - _rtp.TagLength;
        if (authenticatedLength < RtpHeader.FixedLength)
        {
            return SrtpError.TooShort;
        }

        if (!RtpHeader.TryRead(packet.Slice(0, authenticatedLength), out RtpHeader header))
        {
            return SrtpError.BadHeader;
        }

        SrtpStreamState fresh = default;
        int slot = FindStream(header.Ssrc);
        ref SrtpStreamState stream = ref fresh;
        if (slot >= 0)
        {
            stream = ref _streams[slot];
        }
        else if (_count == _ssrcs.Length)
        {
            return SrtpError.TooManySsrcs;
        }

        SrtpError error = EstimateIndex(in stream, header.SequenceNumber, out ulong index);
        if (error != SrtpError.None)
        {
            return error;
        }

        if (!_rtp.UnprotectRtp(packet, header.HeaderLength, header.Ssrc, index))
        {
            return SrtpError.AuthenticationFailed;
        }

        Commit(ref stream, slot, header.Ssrc, fresh).Rtp.Accept(index);
        plainLength = authenticatedLength;
        return SrtpError.None;
    }

    /// <summary>
    /// Encrypts the RTCP packet (compound or single) in <c>buffer[..length]</c> in place and appends
    /// the E flag, the SRTCP index and the tag; <paramref name="buffer"/> needs
    /// <see cref="RtcpTrailerLength"/> bytes free after the packet. The index starts at zero per SSRC
    /// and counts up (RFC 3711 section 3.4).
    /// </summary>
    public SrtpError ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        EnterRole(Role.Protecting);
        if ((uint)length > (uint)buffer.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(length));
        }

        if (length < SrtpCipher.RtcpHeaderLength)
        {
            return SrtpError.TooShort;
        }

        if ((buffer[0] >> 6) != RtpHeader.Version)
        {
            return SrtpError.BadHeader;
        }

        if (buffer.Length - length < _rtcp.RtcpTrailerLength)
        {
            return SrtpError.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4));
        SrtpStreamState fresh = default;
        int slot = FindStream(ssrc);
        ref SrtpStreamState stream = ref fresh;
        if (slot >= 0)
        {
            stream = ref _streams[slot];
        }
        else if (_count == _ssrcs.Length)
        {
            return SrtpError.TooManySsrcs;
        }

        ulong next = stream.Rtcp.IsStarted ? stream.Rtcp.Highest + 1 : 0;
        if (next > MaxSrtcpIndex)
        {
            return SrtpError.IndexExhausted;
        }

        uint index = (uint)next;
        protectedLength = _rtcp.ProtectRtcp(buffer, length, ssrc, index);
        Commit(ref stream, slot, ssrc, fresh).Rtcp.Accept(index);
        return SrtpError.None;
    }

    /// <summary>
    /// Verifies and, if its E flag is set, decrypts the SRTCP packet that is all of
    /// <paramref name="packet"/>, in place. On success the RTCP packet is <c>packet[..plainLength]</c>;
    /// on failure the state is unchanged and the packet's bytes are unspecified.
    /// </summary>
    public SrtpError UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        EnterRole(Role.Unprotecting);
        int trailerLength = _rtcp.RtcpTrailerLength;
        if (packet.Length < SrtpCipher.RtcpHeaderLength + trailerLength)
        {
            return SrtpError.TooShort;
        }

        if ((packet[0] >> 6) != RtpHeader.Version)
        {
            return SrtpError.BadHeader;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4));
        uint indexWord = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(_rtcp.GetSrtcpIndexOffset(packet.Length)));
        uint index = indexWord & MaxSrtcpIndex;

        SrtpStreamState fresh = default;
        int slot = FindStream(ssrc);
        ref SrtpStreamState stream = ref fresh;
        if (slot >= 0)
        {
            stream = ref _streams[slot];
        }
        else if (_count == _ssrcs.Length)
        {
            return SrtpError.TooManySsrcs;
        }

        SrtpError error = stream.Rtcp.Check(index);
        if (error != SrtpError.None)
        {
            return error;
        }

        if (!_rtcp.UnprotectRtcp(packet, ssrc, indexWord))
        {
            return SrtpError.AuthenticationFailed;
        }

        Commit(ref stream, slot, ssrc, fresh).Rtcp.Accept(index);
        plainLength = packet.Length - trailerLength;
        return SrtpError.None;
    }

    /// <summary>
    /// Sets the rollover counter to assume for the first SRTP packet of <paramref name="ssrc"/>, for a
    /// receiver joining a stream in progress: RFC 3711 section 3.3.1 has the current ROC signalled out
    /// of band, since the packets do not carry it. Makes room for the SSRC in the table. Returns false
    /// if the SSRC has already sent or received SRTP packets here (its counter is then known) or the
    /// table is full.
    /// </summary>
    public bool SetRolloverCounter(uint ssrc, uint rolloverCounter)
    {
        ThrowIfDisposed();
        int slot = FindStream(ssrc);
        if (slot < 0)
        {
            if (_count == _ssrcs.Length)
            {
                return false;
            }

            slot = Add(ssrc, default);
        }

        ref SrtpStreamState stream = ref _streams[slot];
        if (stream.Rtp.IsStarted)
        {
            return false;
        }

        stream.InitialRolloverCounter = rolloverCounter;
        return true;
    }

    /// <summary>
    /// The rollover counter of <paramref name="ssrc"/>: the one of the highest index accepted so far,
    /// or the one set for its first packet. False if the session has no state for the SSRC.
    /// </summary>
    public bool TryGetRolloverCounter(uint ssrc, out uint rolloverCounter)
    {
        ThrowIfDisposed();
        int slot = FindStream(ssrc);
        rolloverCounter = slot >= 0 ? _streams[slot].RolloverCounter : 0;
        return slot >= 0;
    }

    /// <summary>
    /// Forgets <paramref name="ssrc"/> (its stream ended), freeing its place in the table. A later
    /// packet from it starts afresh, so call this only when the stream is really over: its old
    /// packets would then be accepted once more.
    /// </summary>
    public bool RemoveSsrc(uint ssrc)
    {
        ThrowIfDisposed();
        int slot = FindStream(ssrc);
        if (slot < 0)
        {
            return false;
        }

        int last = _count - 1;
        _ssrcs[slot] = _ssrcs[last];
        _streams[slot] = _streams[last];
        _streams[last] = default;
        _count = last;
        return true;
    }

    /// <summary>Disposes the crypto objects. The session cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_role == Role.Disposed)
        {
            return;
        }

        _role = Role.Disposed;
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private static void ValidateMaxSsrcs(int maxSsrcs)
    {
        if (maxSsrcs is < 1 or > MaxSsrcLimit)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxSsrcs));
        }
    }

    private static (SrtpCipher Rtp, SrtpCipher Rtcp) DeriveCiphers(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        int keyLength = profile.MasterKeyLength;
        int saltLength = profile.MasterSaltLength;
        int authenticationKeyLength = profile.AuthenticationKeyLength;

        Span<byte> material = stackalloc byte[32 + 14 + SrtpProfileExtensions.HmacSha1KeyLength];
        Span<byte> key = material.Slice(0, keyLength);
        Span<byte> salt = material.Slice(32, saltLength);
        Span<byte> authenticationKey = material.Slice(32 + 14, authenticationKeyLength);
        SrtpCipher? rtp = null;
        try
        {
            using var prf = new AesCounterMode(masterKey);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpSaltLabel, salt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, authenticationKey);
            rtp = CreateCipher(profile, key, salt, authenticationKey, profile.RtpTagLength);

            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpEncryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpSaltLabel, salt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpAuthenticationLabel, authenticationKey);
            SrtpCipher rtcp = CreateCipher(profile, key, salt, authenticationKey, profile.RtcpTagLength);
            return (rtp, rtcp);
        }
        catch
        {
            rtp?.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    private static SrtpCipher CreateCipher(
        SrtpProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authenticationKey, int tagLength) =>
        profile.IsAead
            ? new AesGcmCipher(key, salt)
            : new AesCmHmacSha1Cipher(key, salt, authenticationKey, tagLength);

    /// <summary>
    /// The SRTP index for <paramref name="sequenceNumber"/> (RFC 3711 section 3.3.1 and appendix A):
    /// the rollover counter is guessed as ROC - 1, ROC or ROC + 1, whichever puts the index nearest
    /// the highest so far; then the replay window is consulted. Reads state only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SrtpError EstimateIndex(in SrtpStreamState stream, ushort sequenceNumber, out ulong index)
    {
        long rolloverCounter;
        if (!stream.Rtp.IsStarted)
        {
            rolloverCounter = stream.InitialRolloverCounter;
        }
        else
        {
            ulong highest = stream.Rtp.Highest;
            long roc = (long)(highest >> 16);
            int highestSequence = (ushort)highest;
            rolloverCounter = roc;
            if (highestSequence < 0x8000)
            {
                if (sequenceNumber - highestSequence > 0x8000)
                {
                    rolloverCounter = roc - 1;
                }
            }
            else if (highestSequence - 0x8000 > sequenceNumber)
            {
                rolloverCounter = roc + 1;
            }
        }

        if (rolloverCounter < 0)
        {
            // Sent before the stream's first index (ROC 0), which nothing can have been.
            index = 0;
            return SrtpError.TooOld;
        }

        if (rolloverCounter > uint.MaxValue)
        {
            index = 0;
            return SrtpError.IndexExhausted;
        }

        index = ((ulong)rolloverCounter << 16) | sequenceNumber;
        return stream.Rtp.Check(index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindStream(uint ssrc)
    {
        int last = _lastFound;
        if ((uint)last < (uint)_count && _ssrcs[last] == ssrc)
        {
            return last;
        }

        int slot = _ssrcs.AsSpan(0, _count).IndexOf(ssrc);
        if (slot >= 0)
        {
            _lastFound = slot;
        }

        return slot;
    }

    /// <summary>
    /// The state to commit to: the table entry if the SSRC had one, else a new entry made from
    /// <paramref name="fresh"/>, now that its first packet has passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref SrtpStreamState Commit(ref SrtpStreamState stream, int slot, uint ssrc, in SrtpStreamState fresh)
    {
        if (slot >= 0)
        {
            return ref stream;
        }

        return ref _streams[Add(ssrc, fresh)];
    }

    private int Add(uint ssrc, in SrtpStreamState state)
    {
        int slot = _count;
        _ssrcs[slot] = ssrc;
        _streams[slot] = state;
        _count = slot + 1;
        _lastFound = slot;
        return slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnterRole(Role role)
    {
        if (_role != role)
        {
            EnterRoleSlow(role);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterRoleSlow(Role role)
    {
        ThrowIfDisposed();
        if (_role != Role.Unused)
        {
            ThrowHelper.ThrowInvalidOperation("An SRTP session works in one direction: it either protects or unprotects.");
        }

        _role = role;
    }

    private void ThrowIfDisposed()
    {
        if (_role == Role.Disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(SrtpSession));
        }
    }
}
