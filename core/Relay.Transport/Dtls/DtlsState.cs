namespace Relay.Transport.Dtls;

/// <summary>Where a <see cref="DtlsTransport"/> is in its life. Closed and Failed are final.</summary>
public enum DtlsState
{
    /// <summary>Created; <see cref="DtlsTransport.Start"/> has not been called.</summary>
    New,

    /// <summary>The handshake is under way.</summary>
    Connecting,

    /// <summary>The handshake completed, the peer's certificate matched and SRTP keys were exported.</summary>
    Connected,

    /// <summary>Closed in an orderly way, by either side (close_notify).</summary>
    Closed,

    /// <summary>The handshake or the connection failed; <see cref="DtlsTransport.Reason"/> says why.</summary>
    Failed,
}
