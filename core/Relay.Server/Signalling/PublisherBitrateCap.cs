using System.Globalization;
using System.Text;

namespace Relay.Server.Signalling;

/// <summary>
/// Caps what a publisher sends on video by a bandwidth line in each video section of its WHIP answer:
/// <c>b=TIAS:&lt;bit/s&gt;</c> (RFC 3890) and <c>b=AS:&lt;kbit/s&gt;</c> (RFC 8866 section 5.8, which
/// browsers read as the most they may send). A phone on a poor mobile link then spends its upload on
/// a picture it can keep up rather than on losses. Only the relay's own answer is rewritten: its
/// <c>b=</c> lines go after the section's <c>c=</c> line, the order RFC 8866 gives.
/// </summary>
internal static class PublisherBitrateCap
{
    /// <summary><paramref name="answer"/> with the cap in its video sections; as is when <paramref name="bitsPerSecond"/> is 0 (no cap).</summary>
    public static string Apply(string answer, long bitsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (bitsPerSecond <= 0)
        {
            return answer;
        }

        string tias = "b=TIAS:" + bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "\r\n";
        string applicationSpecific = "b=AS:" + Math.Max(1, bitsPerSecond / 1000).ToString(CultureInfo.InvariantCulture) + "\r\n";
        var result = new StringBuilder(answer.Length + 64);
        bool inVideo = false;
        bool capped = false;
        string[] lines = answer.Split("\r\n");
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                // A rejected section (port 0) carries nothing to cap.
                inVideo = line.StartsWith("m=video ", StringComparison.Ordinal) && !line.StartsWith("m=video 0 ", StringComparison.Ordinal);
                capped = false;
            }
            else if (inVideo && !capped && !line.StartsWith("i=", StringComparison.Ordinal) && !line.StartsWith("c=", StringComparison.Ordinal))
            {
                result.Append(applicationSpecific).Append(tias);
                capped = true;
            }

            if (line.StartsWith("b=", StringComparison.Ordinal) && inVideo)
            {
                continue;
            }

            result.Append(line);
            if (i < lines.Length - 1)
            {
                result.Append("\r\n");
            }
        }

        return result.ToString();
    }
}
