using System.Globalization;
using System.Text;

namespace Relay.Control.Sdp;

/// <summary>
/// Writes a <see cref="SessionDescription"/> as SDP text with CRLF line ends, lines in the order
/// RFC 8866 section 5 requires. What it writes, <see cref="SdpParser"/> reads back.
/// </summary>
public static class SdpWriter
{
    /// <summary>
    /// The SDP text of <paramref name="description"/>. Throws <see cref="ArgumentException"/> if a value
    /// contains a line break or another control character: that would be a bug in whoever built the
    /// description, and writing it would let one value inject lines.
    /// </summary>
    public static string Write(SessionDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var sdp = new StringBuilder(2048);
        Line(sdp, 'v', "0");
        Line(sdp, 'o', description.Origin.ToString());
        Line(sdp, 's', description.SessionName);
        OptionalLine(sdp, 'i', description.Information);
        OptionalLine(sdp, 'u', description.Uri);
        foreach (string email in description.EmailAddresses)
        {
            Line(sdp, 'e', email);
        }

        foreach (string phone in description.PhoneNumbers)
        {
            Line(sdp, 'p', phone);
        }

        if (description.Connection is not null)
        {
            Line(sdp, 'c', description.Connection.ToString());
        }

        foreach (SdpBandwidth bandwidth in description.Bandwidths)
        {
            Line(sdp, 'b', bandwidth.ToString());
        }

        IReadOnlyList<SdpTiming> timings = description.Timings.Count == 0 ? [SdpTiming.Unbounded] : description.Timings;
        foreach (SdpTiming timing in timings)
        {
            Line(sdp, 't', timing.ToString());
            foreach (string repeat in timing.RepeatTimes)
            {
                Line(sdp, 'r', repeat);
            }
        }

        OptionalLine(sdp, 'z', description.TimeZoneAdjustments);
        foreach (SdpAttributeLine attribute in description.Attributes)
        {
            Line(sdp, 'a', attribute.ToString());
        }

        foreach (MediaDescription media in description.MediaDescriptions)
        {
            WriteMedia(sdp, media);
        }

        return sdp.ToString();
    }

    private static void WriteMedia(StringBuilder sdp, MediaDescription media)
    {
        var mLine = new StringBuilder(64);
        mLine.Append(media.MediaType).Append(' ').Append(media.Port.ToString(CultureInfo.InvariantCulture));
        if (media.PortCount is int count)
        {
            mLine.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        mLine.Append(' ').Append(media.Protocol);
        foreach (string format in media.Formats)
        {
            mLine.Append(' ').Append(format);
        }

        Line(sdp, 'm', mLine.ToString());
        OptionalLine(sdp, 'i', media.Information);
        foreach (SdpConnection connection in media.Connections)
        {
            Line(sdp, 'c', connection.ToString());
        }

        foreach (SdpBandwidth bandwidth in media.Bandwidths)
        {
            Line(sdp, 'b', bandwidth.ToString());
        }

        foreach (SdpAttributeLine attribute in media.Attributes)
        {
            Line(sdp, 'a', attribute.ToString());
        }
    }

    private static void OptionalLine(StringBuilder sdp, char type, string? value)
    {
        if (value is not null)
        {
            Line(sdp, type, value);
        }
    }

    private static void Line(StringBuilder sdp, char type, string value)
    {
        if (!SdpSyntax.IsText(value))
        {
            throw new ArgumentException($"An SDP '{type}=' value contains a control character: \"{value}\".", nameof(value));
        }

        sdp.Append(type).Append('=').Append(value).Append("\r\n");
    }
}
