using System.Text;

namespace Relay.Control.Tests.Negotiation;

/// <summary>Line-level edits of an SDP offer, to derive each case from a real-looking fixture.</summary>
internal static class OfferText
{
    public static string[] Lines(string sdp) => sdp.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    public static string Join(IEnumerable<string> lines) => string.Join("\r\n", lines) + "\r\n";

    /// <summary>Drops every line that starts with <paramref name="prefix"/>.</summary>
    public static string RemoveLines(string sdp, string prefix) =>
        Join(Lines(sdp).Where(line => !line.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>Replaces every line that starts with <paramref name="prefix"/> by <paramref name="replacement"/>.</summary>
    public static string ReplaceLines(string sdp, string prefix, string replacement) =>
        Join(Lines(sdp).Select(line => line.StartsWith(prefix, StringComparison.Ordinal) ? replacement : line));

    /// <summary>Inserts <paramref name="line"/> after the session-level lines (before the first m=).</summary>
    public static string AddSessionLine(string sdp, string line)
    {
        var lines = Lines(sdp).ToList();
        int firstMedia = lines.FindIndex(l => l.StartsWith("m=", StringComparison.Ordinal));
        lines.Insert(firstMedia < 0 ? lines.Count : firstMedia, line);
        return Join(lines);
    }

    /// <summary>The session-level lines and the media sections, each as its list of lines.</summary>
    public static (List<string> Session, List<List<string>> Media) Split(string sdp)
    {
        var session = new List<string>();
        var media = new List<List<string>>();
        foreach (string line in Lines(sdp))
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                media.Add([line]);
            }
            else if (media.Count == 0)
            {
                session.Add(line);
            }
            else
            {
                media[^1].Add(line);
            }
        }

        return (session, media);
    }

    public static string Join(List<string> session, IEnumerable<List<string>> media) =>
        Join(session.Concat(media.SelectMany(section => section)));

    /// <summary>Keeps only the media sections whose m= line starts with one of <paramref name="mediaTypes"/>.</summary>
    public static string KeepMedia(string sdp, params string[] mediaTypes)
    {
        (List<string> session, List<List<string>> media) = Split(sdp);
        return Join(session, media.Where(section => mediaTypes.Any(type => section[0].StartsWith("m=" + type + " ", StringComparison.Ordinal))));
    }

    /// <summary>Edits the lines of the media section of type <paramref name="mediaType"/>.</summary>
    public static string EditMedia(string sdp, string mediaType, Func<List<string>, List<string>> edit)
    {
        (List<string> session, List<List<string>> media) = Split(sdp);
        return Join(session, media.Select(section => section[0].StartsWith("m=" + mediaType + " ", StringComparison.Ordinal) ? edit(section) : section));
    }

    /// <summary>Appends a section (given as lines) after the last one.</summary>
    public static string AppendMedia(string sdp, params string[] section)
    {
        var builder = new StringBuilder(sdp.ReplaceLineEndings("\r\n"));
        if (!sdp.EndsWith('\n'))
        {
            builder.Append("\r\n");
        }

        foreach (string line in section)
        {
            builder.Append(line).Append("\r\n");
        }

        return builder.ToString();
    }

    /// <summary>A minimal, valid one-section WHIP offer to build edge cases on.</summary>
    public static string MinimalVideoOffer(string codecLines = "a=rtpmap:96 VP8/90000", string formats = "96") => Join(
    [
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0",
        $"m=video 9 UDP/TLS/RTP/SAVPF {formats}",
        "c=IN IP4 0.0.0.0",
        "a=mid:0",
        "a=ice-ufrag:abcd",
        "a=ice-pwd:abcdefghijklmnopqrstuvwx",
        "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)),
        "a=setup:actpass",
        "a=sendonly",
        "a=rtcp-mux",
        .. codecLines.Split('\n'),
    ]);
}
