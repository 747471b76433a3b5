namespace Relay.Transport.Udp;

/// <summary>
/// While open, a <see cref="UdpMediaSocket"/> whose <see cref="UdpMediaSocketOptions.BatchedIo"/> is on
/// queues what this thread sends through <see cref="UdpMediaSocket.TrySend(ReadOnlySpan{byte}, in Relay.Protocols.Stun.StunTransportAddress)"/>
/// and sends it all with one sendmmsg(2) at <see cref="Dispose"/> (or each time 64 are queued):
/// so the fan-out of one packet to N viewers costs one system call, not N.
/// </summary>
/// <remarks>
/// Open it around work that sends several datagrams in a burst and then returns, never around a wait:
/// the socket's receive worker opens one around each datagram it hands on, the media node's timer
/// around each tick. Scopes do not nest: an inner one is inert, the outer one sends. Sends other
/// threads make are not held. While a scope is open, a send's true means "queued"; a datagram the
/// network then refuses is counted in <see cref="UdpSocketCounters.SendErrors"/>.
/// </remarks>
public readonly ref struct UdpSendBatchScope
{
    private readonly UdpSendBatch? _batch;

    private UdpSendBatchScope(UdpSendBatch? batch) => _batch = batch;

    /// <summary>True if this scope sends at its end (false when nested inside another).</summary>
    public bool IsOutermost => _batch is not null;

    /// <summary>Opens a batch on the calling thread.</summary>
    public static UdpSendBatchScope Open() => new(UdpSendBatch.Open());

    /// <summary>Sends what was queued and closes the batch.</summary>
    public void Dispose() => _batch?.Close();
}
