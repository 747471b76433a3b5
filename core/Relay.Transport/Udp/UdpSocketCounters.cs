namespace Relay.Transport.Udp;

/// <summary>
/// What one <see cref="UdpMediaSocket"/> has done, as plain counters the metrics layer reads. Updated
/// with <see cref="Interlocked"/> on the packet path, so reading costs nothing there and no
/// System.Diagnostics.Metrics instrument is touched per datagram.
/// </summary>
public sealed class UdpSocketCounters
{
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _datagramsSent;
    private long _bytesSent;
    private long _receiveErrors;
    private long _sendErrors;
    private long _droppedOversized;
    private long _droppedUnknownFamily;
    private long _handlerErrors;
    private long _sendBatches;
    private long _receiveBatches;

    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Receives that failed with a socket error (an ICMP error reported on the socket, a full buffer) and were retried.</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>Sends the network refused (unreachable, no buffer space); the datagram was dropped.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Datagrams that filled the whole receive buffer and so may have been cut short: dropped.</summary>
    public long DroppedOversized => Interlocked.Read(ref _droppedOversized);

    /// <summary>Datagrams whose source was neither IPv4 nor IPv6: dropped.</summary>
    public long DroppedUnknownFamily => Interlocked.Read(ref _droppedUnknownFamily);

    /// <summary>Exceptions the handler let escape; each is a bug in the handler, counted so the socket keeps running.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>sendmmsg(2) calls that sent at least one datagram (<see cref="UdpMediaSocketOptions.BatchedIo"/>).</summary>
    public long SendBatches => Interlocked.Read(ref _sendBatches);

    /// <summary>recvmmsg(2) calls that returned at least one datagram (<see cref="UdpMediaSocketOptions.BatchedIo"/>).</summary>
    public long ReceiveBatches => Interlocked.Read(ref _receiveBatches);

    internal void OnReceived(int bytes)
    {
        Interlocked.Increment(ref _datagramsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void OnSent(int bytes)
    {
        Interlocked.Increment(ref _datagramsSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void OnSentBatch(int datagrams, long bytes)
    {
        Interlocked.Increment(ref _sendBatches);
        Interlocked.Add(ref _datagramsSent, datagrams);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void OnReceivedBatch(int datagrams, long bytes)
    {
        Interlocked.Increment(ref _receiveBatches);
        Interlocked.Add(ref _datagramsReceived, datagrams);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void OnSendErrors(int count) => Interlocked.Add(ref _sendErrors, count);

    internal void OnReceiveError() => Interlocked.Increment(ref _receiveErrors);

    internal void OnSendError() => Interlocked.Increment(ref _sendErrors);

    internal void OnDroppedOversized() => Interlocked.Increment(ref _droppedOversized);

    internal void OnDroppedUnknownFamily() => Interlocked.Increment(ref _droppedUnknownFamily);

    internal void OnHandlerError() => Interlocked.Increment(ref _handlerErrors);
}
