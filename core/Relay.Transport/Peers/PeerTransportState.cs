namespace Relay.Transport.Peers;

/// <summary>Where a <see cref="PeerTransport"/> is in its life. Failed and Closed are final.</summary>
public enum PeerTransportState
{
    /// <summary>Created: no ICE pair is selected yet.</summary>
    New = 0,

    /// <summary>ICE is checking or has selected a pair, and the DTLS handshake is under way.</summary>
    Connecting = 1,

    /// <summary>DTLS completed and both SRTP sessions are keyed: media flows.</summary>
    Connected = 2,

    /// <summary>ICE, consent or DTLS failed; <see cref="PeerTransport.Reason"/> says why. Final.</summary>
    Failed = 3,

    /// <summary>Closed in an orderly way (close_notify from the peer, or <see cref="PeerTransport.Dispose"/>). Final.</summary>
    Closed = 4,
}
