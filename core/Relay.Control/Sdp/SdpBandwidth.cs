using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>A <c>b=</c> line (RFC 8866 section 5.8): <c>b=&lt;bwtype&gt;:&lt;bandwidth&gt;</c>.</summary>
public sealed record SdpBandwidth(string Type, ulong Value)
{
    public override string ToString() => Type + ":" + Value.ToString(CultureInfo.InvariantCulture);
}
