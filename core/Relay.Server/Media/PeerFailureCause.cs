namespace Relay.Server.Media;

/// <summary>Why a peer transport failed, as the metrics count it.</summary>
internal enum PeerFailureCause
{
    /// <summary>No connectivity check ever succeeded.</summary>
    Ice,

    /// <summary>The peer stopped answering or sending consent checks (RFC 7675).</summary>
    Consent,

    /// <summary>The DTLS handshake failed or timed out, or the peer's certificate did not match its fingerprint.</summary>
    Dtls,

    Other,
}
