namespace Relay.Control.Negotiation;

/// <summary>Why an offer was refused; the HTTP layer maps each to a 4xx problem.</summary>
public enum OfferRejectionKind
{
    /// <summary>The body is not valid SDP.</summary>
    MalformedSdp,

    /// <summary>No audio or video section the relay could use (none, all disabled, or all inactive).</summary>
    NoMedia,

    /// <summary>Only a data channel (m=application) section.</summary>
    DataChannelOnly,

    /// <summary>More than one video or more than one audio section.</summary>
    TooManyTracks,

    /// <summary>A media section is not DTLS-SRTP (UDP/TLS/RTP/SAVPF).</summary>
    UnsupportedProtocol,

    /// <summary>A WHIP section that does not send, or a WHEP section that does not receive.</summary>
    UnsupportedDirection,

    /// <summary>A media section without a=mid, or two sections with the same mid.</summary>
    InvalidMid,

    /// <summary>A media section without a=rtcp-mux.</summary>
    MissingRtcpMux,

    /// <summary>The video section has no codec the relay supports.</summary>
    NoSupportedVideoCodec,

    /// <summary>The audio section has no codec the relay supports.</summary>
    NoSupportedAudioCodec,

    /// <summary>The audio and video sections are not in one BUNDLE group.</summary>
    MissingBundle,

    /// <summary>No (or malformed) a=ice-ufrag / a=ice-pwd.</summary>
    MissingIceCredentials,

    /// <summary>The offerer is ICE-lite, as the relay is: nobody would run connectivity checks.</summary>
    RemoteIceLite,

    /// <summary>No a=fingerprint at all.</summary>
    MissingFingerprint,

    /// <summary>Fingerprints, but no valid sha-256 one.</summary>
    UnsupportedFingerprint,

    /// <summary>a=setup that would make the relay the DTLS client (passive, holdconn) or is unknown.</summary>
    UnsupportedDtlsSetup,

    /// <summary>WHEP: the viewer's section does not accept the codec the stream is published in.</summary>
    PublishedCodecNotOffered,

    /// <summary>WHEP: the viewer asks only for kinds of media the stream does not have.</summary>
    NoMatchingTrack,
}
