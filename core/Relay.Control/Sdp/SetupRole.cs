namespace Relay.Control.Sdp;

/// <summary>
/// The values of <c>a=setup</c> (RFC 4145 section 4, used for DTLS by RFC 5763 section 5):
/// who opens the connection. <see cref="Active"/> is the DTLS client, <see cref="Passive"/> the
/// server; an offer says <see cref="ActPass"/> to let the answerer choose.
/// </summary>
public enum SetupRole
{
    Active,
    Passive,
    ActPass,
    HoldConn,
}
