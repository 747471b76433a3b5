namespace Relay.Protocols.Stun;

/// <summary>
/// ERROR-CODE values an ICE-lite agent sends or meets (RFC 8489 section 14.8, RFC 8445 section 7.3.1.1).
/// Any code from 300 to 699 reads as its number.
/// </summary>
public enum StunErrorCode : ushort
{
    TryAlternate = 300,
    BadRequest = 400,

    /// <summary>401; RFC 5389 called it Unauthorized.</summary>
    Unauthenticated = 401,
    UnknownAttribute = 420,
    StaleNonce = 438,
    RoleConflict = 487,
    ServerError = 500,
}
