namespace Relay.Transport.Dtls;

/// <summary>
/// What a <see cref="DtlsTransport"/> needs from its owner: a way to send datagrams to the peer on
/// the selected ICE pair, and someone to tell when its state changes. Both are called synchronously
/// from inside the transport's own methods, on the owner's thread.
/// </summary>
/// <remarks>
/// From inside these callbacks the owner may read the transport's properties and call
/// <see cref="DtlsTransport.Close"/> or <see cref="DtlsTransport.Dispose"/>; both take effect when
/// the transport's current method returns, Close first (so Close then Dispose still sends
/// close_notify). Calling its other methods from a callback throws.
/// </remarks>
public interface IDtlsTransportListener
{
    /// <summary>
    /// Sends one UDP datagram to the peer. The span is valid only during the call; copy it to queue
    /// it. Each call is one datagram: do not merge or split them.
    /// </summary>
    void SendDatagram(DtlsTransport transport, ReadOnlySpan<byte> datagram);

    /// <summary>
    /// The transport moved to <paramref name="state"/>. On <see cref="DtlsState.Connected"/>
    /// <see cref="DtlsTransport.SrtpKeys"/> is set; on <see cref="DtlsState.Closed"/> and
    /// <see cref="DtlsState.Failed"/> <see cref="DtlsTransport.Reason"/> says why, and the owner
    /// should tear the peer down.
    /// </summary>
    void OnStateChanged(DtlsTransport transport, DtlsState state);
}
