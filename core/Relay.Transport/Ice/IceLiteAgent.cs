using System.Runtime.CompilerServices;
using System.Text;
using Relay.Protocols.Stun;

namespace Relay.Transport.Ice;

/// <summary>
/// One peer's ICE-lite agent (RFC 8445 section 2.5) on the shared media port: always controlled,
/// never sends checks, answers the peer's authenticated checks and takes the address the peer
/// nominates (USE-CANDIDATE) as the selected pair. Made by <see cref="IceLiteServer.CreateAgent(IIceLiteAgentHandler, string?)"/>,
/// which routes its checks and media to it; <see cref="Dispose"/> unregisters it.
/// </summary>
/// <remarks>
/// The selected address is read by any thread that sends media and changed, rarely, by the
/// server's receive worker when the peer moves; it lives in an immutable box so a reader never
/// sees half of an old address and half of a new one. Changes happen under the server's table lock.
/// </remarks>
public sealed class IceLiteAgent : IDisposable
{
    private readonly IceLiteServer _server;
    private readonly byte[]? _remoteUfragBytes;
    private AddressBox? _selected;
    private AddressBox? _pending;
    private long _lastConsentTimestamp;
    private int _state;

    internal IceLiteAgent(IceLiteServer server, IceCredentials localCredentials, string? remoteUfrag, IIceLiteAgentHandler handler)
    {
        _server = server;
        LocalCredentials = localCredentials;
        RemoteUfrag = remoteUfrag;
        _remoteUfragBytes = remoteUfrag is null ? null : Encoding.ASCII.GetBytes(remoteUfrag);
        Handler = handler;
    }

    /// <summary>This agent's ufrag and password, to put in the SDP answer.</summary>
    public IceCredentials LocalCredentials { get; }

    /// <summary>The peer's ufrag from its offer; when set, checks must name it in USERNAME. Null accepts any.</summary>
    public string? RemoteUfrag { get; }

    public IIceLiteAgentHandler Handler { get; }

    public IceLiteAgentState State => (IceLiteAgentState)Volatile.Read(ref _state);

    /// <summary>The timestamp (<see cref="TimeProvider.GetTimestamp"/> of the server's provider) of the last check that refreshed consent.</summary>
    public long LastConsentTimestamp => Volatile.Read(ref _lastConsentTimestamp);

    internal ReadOnlySpan<byte> PasswordBytes => LocalCredentials.PasswordBytes;

    /// <summary>The address the peer nominated, while connected.</summary>
    public bool TryGetSelectedAddress(out StunTransportAddress address)
    {
        AddressBox? selected = Volatile.Read(ref _selected);
        if (selected is null || State != IceLiteAgentState.Connected)
        {
            address = default;
            return false;
        }

        address = selected.Address;
        return true;
    }

    /// <summary>
    /// Sends a datagram (DTLS, SRTP) to the selected address, from any thread. Nothing is sent before
    /// a nomination or after consent is lost.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        AddressBox? selected = Volatile.Read(ref _selected);
        return selected is not null && State == IceLiteAgentState.Connected && _server.Sender.TrySend(datagram, selected.Address);
    }

    /// <summary>Unregisters the agent: its checks and media are dropped from now on.</summary>
    public void Dispose() => _server.Unregister(this);

    public override string ToString() => $"ice-lite {LocalCredentials.Ufrag} ({State})";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsSelected(in StunTransportAddress address)
    {
        AddressBox? selected = Volatile.Read(ref _selected);
        return selected is not null && selected.Address == address;
    }

    internal bool IsPending(in StunTransportAddress address)
    {
        AddressBox? pending = Volatile.Read(ref _pending);
        return pending is not null && pending.Address == address;
    }

    internal bool AcceptsRemoteUfrag(ReadOnlySpan<byte> remoteUfrag) =>
        _remoteUfragBytes is null || remoteUfrag.SequenceEqual(_remoteUfragBytes);

    internal void RefreshConsent(long timestamp) => Volatile.Write(ref _lastConsentTimestamp, timestamp);

    // The methods below run under the server's table lock.
    internal AddressBox? Selected => _selected;

    internal AddressBox? Pending => _pending;

    internal void Select(in StunTransportAddress address, long timestamp)
    {
        Volatile.Write(ref _lastConsentTimestamp, timestamp);
        Volatile.Write(ref _selected, new AddressBox(address));
        Volatile.Write(ref _pending, null);
        if (State == IceLiteAgentState.New)
        {
            Volatile.Write(ref _state, (int)IceLiteAgentState.Connected);
        }
    }

    internal void SetPending(in StunTransportAddress address) => Volatile.Write(ref _pending, new AddressBox(address));

    internal void End(IceLiteAgentState finalState)
    {
        Volatile.Write(ref _state, (int)finalState);
        Volatile.Write(ref _selected, null);
        Volatile.Write(ref _pending, null);
    }

    internal sealed class AddressBox(StunTransportAddress address)
    {
        public StunTransportAddress Address { get; } = address;
    }
}
