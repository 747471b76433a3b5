namespace Relay.Control.Sdp;

/// <summary>
/// A <c>c=</c> line (RFC 8866 section 5.7): <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c>.
/// </summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
