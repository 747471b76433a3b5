namespace Relay.Protocols.Stun;

/// <summary>The ICE role a binding request claims through ICE-CONTROLLING or ICE-CONTROLLED (RFC 8445 section 7.1.3).</summary>
public enum StunIceRole : byte
{
    /// <summary>Neither attribute was present.</summary>
    None = 0,
    Controlling = 1,
    Controlled = 2,
}
