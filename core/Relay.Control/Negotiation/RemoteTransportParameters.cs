using Relay.Transport.Dtls;

namespace Relay.Control.Negotiation;

/// <summary>
/// What the transport needs to know about the peer, read from its offer: the ICE credentials it
/// will use in connectivity checks (RFC 8445 section 7.2.2), the fingerprint of the certificate it
/// will present in the DTLS handshake, and its DTLS role. The relay answers <c>a=setup:passive</c>,
/// so the peer is always the DTLS client.
/// </summary>
public sealed record RemoteTransportParameters(
    string IceUsernameFragment,
    string IcePassword,
    DtlsFingerprint Fingerprint,
    DtlsRole DtlsRole);
