namespace Relay.Transport.Dtls;

/// <summary>
/// The parameters of one peer's DTLS transport. Signalling derives them from the SDP
/// (<c>a=setup</c> gives the role, <c>a=fingerprint</c> the remote fingerprint); the transport never
/// sees SDP.
/// </summary>
public sealed record DtlsTransportOptions
{
    /// <summary>Offered (client) or accepted (server, in this order of preference) by default: AEAD first, as browsers prefer.</summary>
    public static IReadOnlyList<DtlsSrtpProfile> DefaultSrtpProfiles { get; } =
    [
        DtlsSrtpProfile.AeadAes128Gcm,
        DtlsSrtpProfile.AeadAes256Gcm,
        DtlsSrtpProfile.Aes128CmHmacSha1Tag80,
        DtlsSrtpProfile.Aes128CmHmacSha1Tag32,
    ];

    public required DtlsRole Role { get; init; }

    /// <summary>This node's certificate, presented to the peer.</summary>
    public required DtlsCertificate Certificate { get; init; }

    /// <summary>The fingerprint from the peer's SDP; the handshake fails unless its certificate matches.</summary>
    public required DtlsFingerprint RemoteFingerprint { get; init; }

    /// <summary>SRTP profiles to offer or accept, most preferred first.</summary>
    public IReadOnlyList<DtlsSrtpProfile> SrtpProfiles { get; init; } = DefaultSrtpProfiles;

    /// <summary>
    /// The largest UDP payload to send. 1200 fits any path WebRTC runs over (IPv6 minimum MTU, with
    /// room for TURN and VPN overhead), as browsers assume.
    /// </summary>
    public int Mtu { get; init; } = 1200;

    /// <summary>
    /// The first retransmission timeout of a handshake flight; it doubles on each retransmission up to
    /// <see cref="MaxRetransmissionTimeout"/>. OpenSSL's own default (1 s) makes a lost packet cost a
    /// second of start-up; browsers start near 50 ms. At least 20 ms: OpenSSL treats a timer with less
    /// than 15 ms left as already expired.
    /// </summary>
    public TimeSpan InitialRetransmissionTimeout { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxRetransmissionTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The handshake fails if it has not completed this long after <see cref="DtlsTransport.Start"/>.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
