namespace Relay.Protocols.Srtp;

/// <summary>
/// Why <see cref="SrtpSession"/> refused a packet. Every refusal leaves the session's state as it was,
/// so the caller drops the packet and counts the reason.
/// </summary>
public enum SrtpError
{
    /// <summary>The packet was protected or unprotected.</summary>
    None = 0,

    /// <summary>Shorter than a header plus the trailer the profile requires.</summary>
    TooShort,

    /// <summary>Not version 2, or a declared header length (CSRCs, extension) runs past the packet.</summary>
    BadHeader,

    /// <summary>Protect only: the buffer has no room after the packet for the SRTCP index and tag.</summary>
    BufferTooSmall,

    /// <summary>The packet index was already accepted (or, on the sending side, already used).</summary>
    Replayed,

    /// <summary>The packet index is older than the replay window, or from before the stream's first index.</summary>
    TooOld,

    /// <summary>The authentication tag did not verify. Nothing was learned or kept from the packet.</summary>
    AuthenticationFailed,

    /// <summary>The packet is from an SSRC the session has no room to track.</summary>
    TooManySsrcs,

    /// <summary>
    /// The packet index space for this SSRC is used up (SRTCP index past 2^31 - 1 or rollover counter
    /// past 2^32 - 1); RFC 3711 section 9.2 requires new keys before going on.
    /// </summary>
    IndexExhausted,
}
