using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>
/// A server and a client transport joined in memory: each one's datagrams are queued and fed to the
/// other by a loop (never by recursion), with an optional rule to drop datagrams, and a timer loop
/// that waits out OpenSSL's retransmission timeout and calls HandleTimeout.
/// </summary>
internal sealed class DtlsLink : IDisposable
{
    public DtlsLink(
        Func<DtlsTransportOptions, DtlsTransportOptions>? server = null,
        Func<DtlsTransportOptions, DtlsTransportOptions>? client = null,
        TimeProvider? timeProvider = null)
    {
        var serverOptions = new DtlsTransportOptions
        {
            Role = DtlsRole.Server,
            Certificate = TestCertificates.Server,
            RemoteFingerprint = TestCertificates.Client.Fingerprint,
            InitialRetransmissionTimeout = TimeSpan.FromMilliseconds(30),
        };
        var clientOptions = new DtlsTransportOptions
        {
            Role = DtlsRole.Client,
            Certificate = TestCertificates.Client,
            RemoteFingerprint = TestCertificates.Server.Fingerprint,
            InitialRetransmissionTimeout = TimeSpan.FromMilliseconds(30),
        };
        Server = new DtlsTransport(server?.Invoke(serverOptions) ?? serverOptions, ServerListener, timeProvider);
        Client = new DtlsTransport(client?.Invoke(clientOptions) ?? clientOptions, ClientListener, timeProvider);
    }

    public RecordingListener ServerListener { get; } = new();

    public RecordingListener ClientListener { get; } = new();

    public DtlsTransport Server { get; }

    public DtlsTransport Client { get; }

    /// <summary>Decides per datagram whether the link loses it: (from the server?, index in that direction, bytes).</summary>
    public Func<bool, int, byte[], bool>? Drop { get; set; }

    public int ServerToClientCount { get; private set; }

    public int ClientToServerCount { get; private set; }

    public int Timeouts { get; private set; }

    public bool BothSettled => Settled(Server) && Settled(Client);

    public void Start()
    {
        Server.Start();
        Client.Start();
    }

    /// <summary>Delivers queued datagrams until both queues are empty; returns how many moved.</summary>
    public int Deliver()
    {
        int moved = 0;
        while (ServerListener.Outgoing.Count > 0 || ClientListener.Outgoing.Count > 0)
        {
            if (ClientListener.Outgoing.TryDequeue(out byte[]? fromClient))
            {
                moved++;
                // A transport disposed from its own callback gets nothing more, as with a real owner;
                // a slow run can still have a client retransmission queued for it.
                if (Drop?.Invoke(false, ClientToServerCount++, fromClient) != true && !Server.IsDisposed)
                {
                    Server.ProcessIncoming(fromClient);
                }
            }

            if (ServerListener.Outgoing.TryDequeue(out byte[]? fromServer))
            {
                moved++;
                if (Drop?.Invoke(true, ServerToClientCount++, fromServer) != true && !Client.IsDisposed)
                {
                    Client.ProcessIncoming(fromServer);
                }
            }
        }

        return moved;
    }

    /// <summary>Starts both and runs the link until both are connected or ended, or the round limit.</summary>
    public void Run(int maxTimeouts = 50)
    {
        Start();
        RunToSettled(maxTimeouts);
    }

    public void RunToSettled(int maxTimeouts = 50)
    {
        while (true)
        {
            Deliver();
            if (BothSettled || Timeouts >= maxTimeouts)
            {
                return;
            }

            TimeSpan? wait = Earliest(Server.GetTimeout(), Client.GetTimeout());
            if (wait is null)
            {
                return;
            }

            // OpenSSL times retransmissions by its own clock; the tests set a 30 ms first timeout.
            if (wait.Value > TimeSpan.Zero)
            {
                Thread.Sleep(wait.Value);
            }

            Timeouts++;
            Server.HandleTimeout();
            Client.HandleTimeout();
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }

    private static bool Settled(DtlsTransport transport) =>
        transport.State is DtlsState.Connected or DtlsState.Closed or DtlsState.Failed;

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) =>
        a is null ? b : b is null ? a : (a.Value < b.Value ? a : b);
}
