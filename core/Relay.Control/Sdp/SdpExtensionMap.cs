using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;URI&gt; [&lt;extension attributes&gt;]</c> (RFC 8285 section 7),
/// e.g. <c>a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid</c>. Ids 1 to 14 fit the one-byte header
/// form; 1 to 255 need the two-byte form.
/// </summary>
public sealed record SdpExtensionMap(int Id, string Uri, string? Direction = null, string? ExtensionAttributes = null)
{
    /// <summary>Highest id the one-byte header form can carry (RFC 8285 section 4.2).</summary>
    public const int MaxOneByteId = 14;

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpExtensionMap? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> idField)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> uri)
            || !SdpSyntax.IsVisibleAscii(uri))
        {
            return false;
        }

        int slash = idField.IndexOf('/');
        ReadOnlySpan<char> idDigits = slash < 0 ? idField : idField[..slash];
        if (!SdpSyntax.TryParseInt(idDigits, 1, 255, out int id))
        {
            return false;
        }

        string? direction = null;
        if (slash >= 0)
        {
            ReadOnlySpan<char> dir = idField[(slash + 1)..];
            if (!dir.SequenceEqual(SdpAttributeNames.SendRecv)
                && !dir.SequenceEqual(SdpAttributeNames.SendOnly)
                && !dir.SequenceEqual(SdpAttributeNames.RecvOnly)
                && !dir.SequenceEqual(SdpAttributeNames.Inactive))
            {
                return false;
            }

            direction = dir.ToString();
        }

        if (!rest.IsEmpty && rest.IsWhiteSpace())
        {
            return false;
        }

        attribute = new SdpExtensionMap(id, uri.ToString(), direction, rest.IsEmpty ? null : rest.ToString());
        return true;
    }

    /// <summary>The attribute value, after <c>a=extmap:</c>.</summary>
    public override string ToString()
    {
        string id = Id.ToString(CultureInfo.InvariantCulture);
        string head = Direction is null ? id : id + "/" + Direction;
        return ExtensionAttributes is null ? head + " " + Uri : head + " " + Uri + " " + ExtensionAttributes;
    }
}
