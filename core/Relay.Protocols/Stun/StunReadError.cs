namespace Relay.Protocols.Stun;

/// <summary>Why <see cref="StunMessageReader.Read"/> refused a datagram.</summary>
public enum StunReadError : byte
{
    None = 0,

    /// <summary>Shorter than the 20-byte header.</summary>
    TooShort,

    /// <summary>The first two bits are not zero (RFC 7983 would not route this to STUN).</summary>
    NotStun,

    /// <summary>The magic cookie is not 0x2112A442 (an RFC 3489 message, or not STUN at all).</summary>
    BadMagicCookie,

    /// <summary>The header length is not a multiple of 4 or does not match the datagram.</summary>
    BadLength,

    /// <summary>An attribute header or value runs past the end of the message.</summary>
    BadAttribute,

    /// <summary>A known attribute has the wrong length or an impossible value.</summary>
    BadAttributeValue,

    /// <summary>An attribute follows FINGERPRINT, which must be last (RFC 8489 section 14.7).</summary>
    FingerprintNotLast,
}
