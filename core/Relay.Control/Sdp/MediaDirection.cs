namespace Relay.Control.Sdp;

/// <summary>
/// The direction attributes of RFC 8866 section 6.7, from the point of view of the side that wrote
/// the description. Without one, a section is <see cref="SendRecv"/>.
/// </summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
