using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=msid:&lt;stream id&gt; [&lt;track id&gt;]</c> (RFC 8830 section 2), e.g.
/// <c>a=msid:3b8ac5a4-0c2e-4d0a-9a1f-1d2a1f0e7b6c 6f1e...</c>. Chrome writes <c>-</c> for a track
/// with no stream. RFC 8830 makes each id 1 to 64 token characters; the reader also takes other
/// visible ASCII, because GStreamer writes ids like <c>user1234@host-5678</c>.
/// </summary>
public sealed record SdpMsid(string StreamId, string? TrackId = null)
{
    /// <summary>Longest id RFC 8830 allows.</summary>
    public const int MaxIdLength = 64;

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpMsid? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> stream) || !IsLenientId(stream))
        {
            return false;
        }

        string? track = null;
        if (!rest.IsEmpty)
        {
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> trackId) || !IsLenientId(trackId) || !rest.IsEmpty)
            {
                return false;
            }

            track = trackId.ToString();
        }

        attribute = new SdpMsid(stream.ToString(), track);
        return true;
    }

    /// <summary>Whether <paramref name="id"/> is a valid msid-id or appdata to write: 1 to 64 token characters.</summary>
    public static bool IsId(ReadOnlySpan<char> id) => id.Length <= MaxIdLength && SdpSyntax.IsToken(id);

    private static bool IsLenientId(ReadOnlySpan<char> id) => id.Length <= MaxIdLength && SdpSyntax.IsVisibleAscii(id);

    /// <summary>The attribute value, after <c>a=msid:</c>.</summary>
    public override string ToString() => TrackId is null ? StreamId : StreamId + " " + TrackId;
}
