namespace Relay.Transport.Dtls;

/// <summary>Which side of the DTLS handshake this transport takes (RFC 5763 section 5).</summary>
public enum DtlsRole
{
    /// <summary>Waits for the ClientHello: SDP <c>a=setup:passive</c>, the relay's normal role as ICE-lite.</summary>
    Server,

    /// <summary>Sends the ClientHello: SDP <c>a=setup:active</c>, used by the load suite and tests.</summary>
    Client,
}
