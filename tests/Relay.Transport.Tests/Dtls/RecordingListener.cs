using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>Keeps what a transport sends (each datagram a copy) and the states it reports.</summary>
internal sealed class RecordingListener : IDtlsTransportListener
{
    public Queue<byte[]> Outgoing { get; } = new();

    public List<byte[]> Sent { get; } = [];

    public List<DtlsState> States { get; } = [];

    public Action<DtlsTransport, DtlsState>? OnState { get; set; }

    public Action<DtlsTransport, byte[]>? OnSend { get; set; }

    public void SendDatagram(DtlsTransport transport, ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        Outgoing.Enqueue(copy);
        Sent.Add(copy);
        OnSend?.Invoke(transport, copy);
    }

    public void OnStateChanged(DtlsTransport transport, DtlsState state)
    {
        States.Add(state);
        OnState?.Invoke(transport, state);
    }
}
