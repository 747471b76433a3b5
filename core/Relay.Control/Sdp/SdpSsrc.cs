using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;]</c> (RFC 5576 section 4.1), e.g.
/// <c>a=ssrc:3166021232 cname:4xBRv0J1qgIL2SaN</c>.
/// </summary>
public sealed record SdpSsrc(uint Ssrc, string AttributeName, string? AttributeValue = null)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpSsrc? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> ssrcField)
            || !SdpSyntax.TryParseUInt32(ssrcField, out uint ssrc)
            || rest.IsEmpty)
        {
            return false;
        }

        int colon = rest.IndexOf(':');
        ReadOnlySpan<char> name = colon < 0 ? rest : rest[..colon];
        if (!SdpSyntax.IsToken(name))
        {
            return false;
        }

        attribute = new SdpSsrc(ssrc, name.ToString(), colon < 0 ? null : rest[(colon + 1)..].ToString());
        return true;
    }

    /// <summary>The attribute value, after <c>a=ssrc:</c>.</summary>
    public override string ToString()
    {
        string head = Ssrc.ToString(CultureInfo.InvariantCulture) + " " + AttributeName;
        return AttributeValue is null ? head : head + ":" + AttributeValue;
    }
}
