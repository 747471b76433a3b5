using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=rtcp-fb:&lt;payload type | *&gt; &lt;type&gt; [&lt;parameter&gt;]</c> (RFC 4585 section 4.2),
/// e.g. <c>a=rtcp-fb:96 nack pli</c>. A null payload type is the wildcard <c>*</c>.
/// </summary>
public sealed record SdpRtcpFeedback(int? PayloadType, string Type, string? Parameter = null)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtcpFeedback? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> payloadType)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> type)
            || !SdpSyntax.IsToken(type))
        {
            return false;
        }

        int? pt = null;
        if (!payloadType.SequenceEqual("*"))
        {
            if (!SdpSyntax.TryParseInt(payloadType, 0, 127, out int number))
            {
                return false;
            }

            pt = number;
        }

        if (!rest.IsEmpty && rest.IsWhiteSpace())
        {
            return false;
        }

        attribute = new SdpRtcpFeedback(pt, type.ToString(), rest.IsEmpty ? null : rest.ToString());
        return true;
    }

    /// <summary>The attribute value, after <c>a=rtcp-fb:</c>.</summary>
    public override string ToString()
    {
        string payloadType = PayloadType is int pt ? pt.ToString(CultureInfo.InvariantCulture) : "*";
        return Parameter is null ? payloadType + " " + Type : payloadType + " " + Type + " " + Parameter;
    }
}
