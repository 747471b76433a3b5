namespace Relay.Transport.Dtls;

/// <summary>
/// Hash functions for certificate fingerprints (RFC 8122 section 5). SHA-256 is the one every WebRTC
/// endpoint must support (RFC 8827 section 6.5); the weaker SHA-1 and MD5 are not accepted.
/// </summary>
public enum DtlsHashAlgorithm
{
    /// <summary>"sha-256".</summary>
    Sha256,

    /// <summary>"sha-384".</summary>
    Sha384,

    /// <summary>"sha-512".</summary>
    Sha512,
}
