using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]</c>
/// (RFC 8866 section 6.6), e.g. <c>a=rtpmap:111 opus/48000/2</c>. For audio the encoding parameter
/// is the channel count.
/// </summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels = null)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtpMap? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> payloadType)
            || !SdpSyntax.TryParseInt(payloadType, 0, 127, out int pt)
            || rest.IsEmpty
            || rest.Contains(' '))
        {
            return false;
        }

        int slash = rest.IndexOf('/');
        if (slash <= 0 || !SdpSyntax.IsToken(rest[..slash]))
        {
            return false;
        }

        ReadOnlySpan<char> name = rest[..slash];
        ReadOnlySpan<char> afterName = rest[(slash + 1)..];
        int second = afterName.IndexOf('/');
        ReadOnlySpan<char> clock = second < 0 ? afterName : afterName[..second];
        if (!SdpSyntax.TryParseInt(clock, 1, int.MaxValue, out int clockRate))
        {
            return false;
        }

        int? channels = null;
        if (second >= 0)
        {
            if (!SdpSyntax.TryParseInt(afterName[(second + 1)..], 1, 255, out int count))
            {
                return false;
            }

            channels = count;
        }

        attribute = new SdpRtpMap(pt, name.ToString(), clockRate, channels);
        return true;
    }

    /// <summary>The attribute value, after <c>a=rtpmap:</c>.</summary>
    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}");
        return Channels is int channels ? text + "/" + channels.ToString(CultureInfo.InvariantCulture) : text;
    }
}
