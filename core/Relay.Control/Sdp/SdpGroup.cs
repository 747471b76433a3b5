using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=group:&lt;semantics&gt; &lt;identification-tag&gt; ...</c> (RFC 5888 section 5), e.g.
/// <c>a=group:BUNDLE 0 1</c>: the mids that share one transport (RFC 8843).
/// </summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    /// <summary>The semantics of RFC 8843: the grouped media share one transport.</summary>
    public const string Bundle = "BUNDLE";

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpGroup? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> semantics) || !SdpSyntax.IsToken(semantics))
        {
            return false;
        }

        var mids = new List<string>();
        while (!rest.IsEmpty)
        {
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> mid) || !SdpSyntax.IsToken(mid))
            {
                return false;
            }

            mids.Add(mid.ToString());
        }

        attribute = new SdpGroup(semantics.ToString(), mids);
        return true;
    }

    /// <summary>The attribute value, after <c>a=group:</c>.</summary>
    public override string ToString() => Mids.Count == 0 ? Semantics : Semantics + " " + string.Join(' ', Mids);
}
