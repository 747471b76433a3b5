namespace Relay.Protocols.Stun;

/// <summary>
/// The outcome of <see cref="StunBindingCheck"/>, in the order the checks run, with what ICE answers
/// (RFC 8489 sections 6.3 and 9.1.3, RFC 8445 section 7.3).
/// </summary>
public enum StunCheckResult : byte
{
    /// <summary>An authenticated Binding request: answer with a success response.</summary>
    Ok = 0,

    /// <summary>Not a STUN message (too short, first bits, magic cookie): not ours, drop.</summary>
    NotStun,

    /// <summary>A STUN header but a bad length or attribute: drop.</summary>
    Malformed,

    /// <summary>FINGERPRINT is present and wrong: treat as not STUN and drop.</summary>
    FingerprintMismatch,

    /// <summary>A well-formed STUN message that is not a Binding request (a response or an indication).</summary>
    NotBindingRequest,

    /// <summary>USERNAME or MESSAGE-INTEGRITY is missing: answer 400 without MESSAGE-INTEGRITY.</summary>
    MissingCredentials,

    /// <summary>MESSAGE-INTEGRITY does not verify under the key: answer 401 without MESSAGE-INTEGRITY.</summary>
    IntegrityMismatch,

    /// <summary>Unknown comprehension-required attributes: answer 420 listing them.</summary>
    UnknownAttributes,

    /// <summary>PRIORITY is missing, or both ICE-CONTROLLING and ICE-CONTROLLED are present: answer 400.</summary>
    BadRequest,
}
