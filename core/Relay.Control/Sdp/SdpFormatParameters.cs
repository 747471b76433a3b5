using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;</c> (RFC 8866 section 6.15), e.g.
/// <c>a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f</c>.
/// Most codecs write <c>key=value</c> pairs separated by <c>;</c>; others (RED's <c>111/111</c>,
/// telephone-event's <c>0-15</c>) write free text, which is kept as is.
/// </summary>
public sealed record SdpFormatParameters(int PayloadType, string Parameters)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpFormatParameters? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> payloadType)
            || !SdpSyntax.TryParseInt(payloadType, 0, 127, out int pt)
            || rest.IsWhiteSpace())
        {
            return false;
        }

        attribute = new SdpFormatParameters(pt, rest.ToString());
        return true;
    }

    /// <summary>
    /// The value of the <c>key=value</c> parameter named <paramref name="key"/> (names compare without
    /// case, spaces around pairs are ignored). A key written without <c>=</c> has the value "".
    /// </summary>
    public bool TryGetParameter(string key, [NotNullWhen(true)] out string? parameterValue)
    {
        ReadOnlySpan<char> parameters = Parameters;
        foreach (Range range in parameters.Split(';'))
        {
            ReadOnlySpan<char> pair = parameters[range].Trim(' ');
            int equals = pair.IndexOf('=');
            ReadOnlySpan<char> name = equals < 0 ? pair : pair[..equals];
            if (name.Trim(' ').Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                parameterValue = equals < 0 ? string.Empty : pair[(equals + 1)..].Trim(' ').ToString();
                return true;
            }
        }

        parameterValue = null;
        return false;
    }

    /// <summary>The attribute value, after <c>a=fmtp:</c>.</summary>
    public override string ToString() => PayloadType.ToString(CultureInfo.InvariantCulture) + " " + Parameters;
}
