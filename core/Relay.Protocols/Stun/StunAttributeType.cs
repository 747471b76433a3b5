namespace Relay.Protocols.Stun;

/// <summary>
/// STUN attribute types (RFC 8489 section 18.3, RFC 8445 section 16.1). Types below 0x8000 are
/// comprehension-required: a receiver that does not understand one must reject the request with
/// 420. Types from 0x8000 are comprehension-optional and may be skipped.
/// </summary>
public enum StunAttributeType : ushort
{
    MappedAddress = 0x0001,
    Username = 0x0006,
    MessageIntegrity = 0x0008,
    ErrorCode = 0x0009,
    UnknownAttributes = 0x000A,
    Realm = 0x0014,
    Nonce = 0x0015,
    MessageIntegritySha256 = 0x001C,
    PasswordAlgorithm = 0x001D,
    UserHash = 0x001E,
    XorMappedAddress = 0x0020,
    Priority = 0x0024,
    UseCandidate = 0x0025,
    PasswordAlgorithms = 0x8002,
    AlternateDomain = 0x8003,
    Software = 0x8022,
    AlternateServer = 0x8023,
    Fingerprint = 0x8028,
    IceControlled = 0x8029,
    IceControlling = 0x802A,
}
