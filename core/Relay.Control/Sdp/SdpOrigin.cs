namespace Relay.Control.Sdp;

/// <summary>
/// The <c>o=</c> line (RFC 8866 section 5.2):
/// <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;</c>.
/// Session id and version are kept as digit strings because the grammar does not bound them.
/// </summary>
public sealed record SdpOrigin(
    string Username,
    string SessionId,
    string SessionVersion,
    string NetworkType,
    string AddressType,
    string UnicastAddress)
{
    public override string ToString() =>
        $"{Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {UnicastAddress}";
}
