using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A loopback stand-in for the network between a phone and the relay: the relay announces the proxy's
/// address as its ICE candidate, and each path a browser opens to it (its source address) is forwarded
/// from a socket of its own. <see cref="Break"/> cuts paths dead in both directions, as moving from
/// Wi-Fi to mobile data does to the phone's old address; paths opened afterwards (the page's new
/// connection) go through.
/// </summary>
internal sealed class UdpPathProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _upstream;
    private readonly ConcurrentDictionary<IPEndPoint, Path> _paths = new();
    private readonly ConcurrentDictionary<IPEndPoint, bool> _broken = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    private UdpPathProxy(Socket listener, IPEndPoint upstream)
    {
        _listener = listener;
        _upstream = upstream;
        _receiving = Task.Run(ReceiveFromBrowsersAsync);
    }

    public static UdpPathProxy Start(IPEndPoint listen, IPEndPoint upstream)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(listen);
        return new UdpPathProxy(listener, upstream);
    }

    /// <summary>From now on nothing passes to or from these browser addresses, whether seen yet or not.</summary>
    public void Break(IEnumerable<IPEndPoint> browsers)
    {
        foreach (IPEndPoint browser in browsers)
        {
            _broken[browser] = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (Path path in _paths.Values)
        {
            path.Socket.Dispose();
        }

        try
        {
            await Task.WhenAll([_receiving, .. _paths.Values.Select(static p => p.Receiving)]);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReceiveFromBrowsersAsync()
    {
        byte[] buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _listener.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException)
            {
                continue; // an ICMP error for an earlier send: not this datagram's business
            }

            var browser = (IPEndPoint)received.RemoteEndPoint;
            if (!_broken.ContainsKey(browser))
            {
                Path path = _paths.GetOrAdd(browser, OpenPath);
                await path.Socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, _upstream, _stop.Token);
            }
        }
    }

    // The relay sees each browser path as coming from its own loopback port.
    private Path OpenPath(IPEndPoint browser)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var path = new Path(socket);
        path.Receiving = Task.Run(() => ReceiveFromRelayAsync(path, browser));
        return path;
    }

    private async Task ReceiveFromRelayAsync(Path path, IPEndPoint browser)
    {
        byte[] buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await path.Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }

            if (!_broken.ContainsKey(browser))
            {
                await _listener.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, browser, _stop.Token);
            }
        }
    }

    private sealed class Path(Socket socket)
    {
        public Socket Socket { get; } = socket;

        public Task Receiving { get; set; } = Task.CompletedTask;
    }
}
