using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ &lt;type&gt; [...]</c>
/// (RFC 8839 section 5.1), e.g. <c>a=candidate:1 1 udp 2130706431 203.0.113.10 40000 typ host</c>.
/// Anything after the type (raddr, rport, generation, ...) is kept as written.
/// </summary>
public sealed record SdpCandidate(
    string Foundation,
    int Component,
    string Transport,
    uint Priority,
    string Address,
    int Port,
    string Type,
    string? Extensions = null)
{
    /// <summary>The host candidate type.</summary>
    public const string HostType = "host";

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpCandidate? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> foundation)
            || foundation.Length > 32
            || !SdpSyntax.IsVisibleAscii(foundation)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> componentField)
            || !SdpSyntax.TryParseInt(componentField, 1, 256, out int component)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> transport)
            || !SdpSyntax.IsToken(transport)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> priorityField)
            || !SdpSyntax.TryParseUInt32(priorityField, out uint priority)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> address)
            || !SdpSyntax.IsVisibleAscii(address)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> portField)
            || !SdpSyntax.TryParseInt(portField, 0, 65535, out int port)
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> typ)
            || !typ.SequenceEqual("typ")
            || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> type)
            || !SdpSyntax.IsToken(type))
        {
            return false;
        }

        if (!rest.IsEmpty && rest.IsWhiteSpace())
        {
            return false;
        }

        attribute = new SdpCandidate(
            foundation.ToString(),
            component,
            transport.ToString(),
            priority,
            address.ToString(),
            port,
            type.ToString(),
            rest.IsEmpty ? null : rest.ToString());
        return true;
    }

    /// <summary>The attribute value, after <c>a=candidate:</c>.</summary>
    public override string ToString()
    {
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {Type}");
        return Extensions is null ? text : text + " " + Extensions;
    }
}
