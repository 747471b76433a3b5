namespace Relay.Protocols.Stun;

/// <summary>The family byte of (XOR-)MAPPED-ADDRESS (RFC 8489 section 14.1).</summary>
public enum StunAddressFamily : byte
{
    None = 0,
    IPv4 = 0x01,
    IPv6 = 0x02,
}
