namespace Relay.Control.Negotiation;

/// <summary>The DTLS handshake role of one side of a transport.</summary>
public enum DtlsRole
{
    /// <summary>Sends the ClientHello (<c>a=setup:active</c>).</summary>
    Client,

    /// <summary>Waits for the ClientHello (<c>a=setup:passive</c>).</summary>
    Server,
}
