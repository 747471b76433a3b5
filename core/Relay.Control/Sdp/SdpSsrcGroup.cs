using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=ssrc-group:&lt;semantics&gt; &lt;ssrc-id&gt; ...</c> (RFC 5576 section 4.2), e.g.
/// <c>a=ssrc-group:FID 3166021232 1493218350</c>: the media SSRC, then its RTX SSRC (RFC 4588).
/// </summary>
public sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    /// <summary>Flow identification: a media SSRC and its retransmission SSRC.</summary>
    public const string FlowIdentification = "FID";

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpSsrcGroup? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> semantics) || !SdpSyntax.IsToken(semantics))
        {
            return false;
        }

        var ssrcs = new List<uint>();
        while (!rest.IsEmpty)
        {
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> field) || !SdpSyntax.TryParseUInt32(field, out uint ssrc))
            {
                return false;
            }

            ssrcs.Add(ssrc);
        }

        attribute = new SdpSsrcGroup(semantics.ToString(), ssrcs);
        return true;
    }

    /// <summary>The attribute value, after <c>a=ssrc-group:</c>.</summary>
    public override string ToString()
    {
        var parts = new string[Ssrcs.Count + 1];
        parts[0] = Semantics;
        for (int i = 0; i < Ssrcs.Count; i++)
        {
            parts[i + 1] = Ssrcs[i].ToString(CultureInfo.InvariantCulture);
        }

        return string.Join(' ', parts);
    }
}
