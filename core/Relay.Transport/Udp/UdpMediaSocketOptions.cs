using System.Net;

namespace Relay.Transport.Udp;

/// <summary>Where and how <see cref="UdpMediaSocket"/> binds.</summary>
public sealed class UdpMediaSocketOptions
{
    /// <summary>4 MB: about 2,800 full-size datagrams, a quarter of a second of a 100 Mbit/s burst.</summary>
    public const int DefaultBufferSize = 4 * 1024 * 1024;

    /// <summary>
    /// The local address. <see cref="IPAddress.IPv6Any"/> binds a dual-stack socket that also takes
    /// IPv4; tests use <see cref="IPAddress.Loopback"/>.
    /// </summary>
    public IPAddress Address { get; set; } = IPAddress.Any;

    /// <summary>The local port; 0 lets the system pick one (tests).</summary>
    public int Port { get; set; }

    /// <summary>
    /// SO_RCVBUF requested. Linux caps it at net.core.rmem_max (and reports double what it grants);
    /// <see cref="UdpMediaSocket.ReceiveBufferSize"/> tells what was granted.
    /// </summary>
    public int ReceiveBufferSize { get; set; } = DefaultBufferSize;

    /// <summary>SO_SNDBUF requested, capped by net.core.wmem_max on Linux.</summary>
    public int SendBufferSize { get; set; } = DefaultBufferSize;

    /// <summary>
    /// Consecutive failed receives after which the socket gives up (its
    /// <see cref="UdpMediaSocket.Completion"/> faults): one failure is an ICMP error or a full buffer,
    /// thousands in a row with nothing received between is a socket that no longer works.
    /// </summary>
    public int MaxConsecutiveReceiveErrors { get; set; } = 10_000;

    /// <summary>
    /// Linux: receive with recvmmsg(2), up to <see cref="ReceiveBatchSize"/> datagrams a call, and send
    /// what a thread queues inside a <see cref="UdpSendBatchScope"/> with one sendmmsg(2). Off, or on
    /// another system: one recvfrom and one sendto per datagram. Measured in bench/RESULTS.md.
    /// </summary>
    public bool BatchedIo { get; set; } = true;

    /// <summary>
    /// Linux: the nice value (-20 to 19) of the receive worker thread, which also decrypts and fans out;
    /// null leaves it at the process's. Under CPU contention the worker waits runnable in the run queue
    /// for as long as it runs, which is most of the relay's tail latency; -10 cut that wait to about a
    /// third (bench/RESULTS.md, "Kernel floor"). Below 0 needs CAP_SYS_NICE; refused, the worker runs
    /// at the process's value (see <see cref="UdpMediaSocket.ReceiveThreadNice"/>).
    /// </summary>
    public int? ReceiveThreadNice { get; set; }

    /// <summary>Datagrams one recvmmsg(2) takes at most (1 to 1024), each into its own pooled lease.</summary>
    public int ReceiveBatchSize { get; set; } = 32;
}
