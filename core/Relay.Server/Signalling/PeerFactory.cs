using Relay.Control.Negotiation;
using Relay.Server.Media;
using Relay.Transport.Dtls;
using Relay.Transport.Peers;

namespace Relay.Server.Signalling;

/// <summary>Creates a peer's server-role transport on the node's media port from a negotiated offer, and the answer announcing it.</summary>
internal static class PeerFactory
{
    public static PeerTransport CreateTransport(MediaNode node, NegotiatedSession negotiated, IPeerMediaHandler handler)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(negotiated);
        RemoteTransportParameters remote = negotiated.RemoteTransport;
        var dtls = new DtlsTransportOptions
        {
            // The answer says a=setup:passive, so the peer is the DTLS client.
            Role = remote.DtlsRole == DtlsRole.Client ? DtlsRole.Server : DtlsRole.Client,
            Certificate = node.Certificate ?? throw new InvalidOperationException("The media node has not started."),
            RemoteFingerprint = remote.Fingerprint,
        };
        return PeerTransport.CreateServer(node.IceServer!, dtls, handler, remote.IceUsernameFragment, node.TimeProvider);
    }

    public static string CreateAnswer(MediaNode node, NegotiatedSession negotiated, PeerTransport transport)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(negotiated);
        ArgumentNullException.ThrowIfNull(transport);
        return negotiated.CreateAnswer(new LocalTransportParameters(
            transport.LocalIceCredentials.Ufrag,
            transport.LocalIceCredentials.Password,
            node.Certificate!.Fingerprint,
            node.Candidates));
    }

    /// <summary>A WHIP or WHEP resource id: 128 random bits in hex, so resource URLs cannot be guessed.</summary>
    public static string NewResourceId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
