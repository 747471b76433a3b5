namespace Relay.Protocols.Stun;

/// <summary>
/// The 12-bit method of a STUN message type (RFC 8489 section 18.2). ICE uses only Binding; other
/// methods read as their number.
/// </summary>
public enum StunMethod : ushort
{
    Binding = 0x001,
}
