using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>
/// A transport on a real loopback UDP socket, run by the test's own loop: poll the socket until
/// the transport's timeout, feed what arrives, call HandleTimeout when the timeout is due. A server
/// answers whoever sent the first datagram (the test stands in for ICE).
/// </summary>
internal sealed class UdpDtlsPeer : IDtlsTransportListener, IDisposable
{
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(20);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[65536];
    private EndPoint? _remote;

    public UdpDtlsPeer(DtlsTransportOptions options, IPEndPoint? remote = null)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _remote = remote;
        Transport = new DtlsTransport(options, this);
    }

    public DtlsTransport Transport { get; }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public List<DtlsState> States { get; } = [];

    public int SentDatagrams { get; private set; }

    public int LargestDatagram { get; private set; }

    /// <summary>Runs the loop until <paramref name="done"/> holds; false if <paramref name="limit"/> passes first.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            TimeSpan wait = Transport.GetTimeout() ?? s_maxPoll;
            wait = wait > s_maxPoll ? s_maxPoll : wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            if (_socket.Poll((int)wait.TotalMicroseconds, SelectMode.SelectRead))
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int length = _socket.ReceiveFrom(_buffer, ref from);
                _remote ??= from;
                Transport.ProcessIncoming(_buffer.AsSpan(0, length));
            }

            if (Transport.GetTimeout() is { } due && due <= TimeSpan.Zero)
            {
                Transport.HandleTimeout();
            }
        }

        return true;
    }

    public void SendDatagram(DtlsTransport transport, ReadOnlySpan<byte> datagram)
    {
        if (_remote is not null)
        {
            _socket.SendTo(datagram, SocketFlags.None, _remote);
            SentDatagrams++;
            LargestDatagram = Math.Max(LargestDatagram, datagram.Length);
        }
    }

    public void OnStateChanged(DtlsTransport transport, DtlsState state) => States.Add(state);

    public void Dispose()
    {
        Transport.Dispose();
        _socket.Dispose();
    }

    /// <summary>A loopback UDP port that was free a moment ago, for a tool that must bind its own.</summary>
    public static int FindFreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
