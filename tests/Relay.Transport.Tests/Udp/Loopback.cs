using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Relay.Protocols.Stun;

namespace Relay.Transport.Tests.Udp;

/// <summary>Plain sockets on 127.0.0.1 for the other end of a test, and a bounded wait for what a worker thread does.</summary>
internal static class Loopback
{
    public static Socket CreateSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static StunTransportAddress AddressOf(Socket socket) => StunTransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);

    /// <summary>Bytes that differ from one <paramref name="seed"/> to the next, the same for the same seed.</summary>
    public static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Receives one datagram, failing the test if none comes within <paramref name="timeoutMs"/>.</summary>
    public static byte[] Receive(Socket socket, int timeoutMs = 5000)
    {
        socket.ReceiveTimeout = timeoutMs;
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int length = socket.ReceiveFrom(buffer, ref from);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Waits, at most 10 s, for a condition a receive worker makes true.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }
}
