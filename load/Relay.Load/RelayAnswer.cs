using System.Globalization;
using System.Net;
using Relay.Control.Sdp;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;

namespace Relay.Load;

/// <summary>What a synthetic client needs from the relay's SDP answer: where and how to connect.</summary>
internal sealed record RelayAnswer(IceCredentials Ice, DtlsFingerprint Fingerprint, IPEndPoint Candidate, uint? Ssrc)
{
    /// <summary>Reads the answer; throws with the reason when it lacks what the client needs.</summary>
    public static RelayAnswer Parse(string sdp)
    {
        if (!SdpParser.TryParse(sdp, out SessionDescription? answer, out string? error))
        {
            throw new InvalidDataException("The relay's answer is not valid SDP: " + error);
        }

        MediaDescription media = answer.MediaDescriptions.FirstOrDefault(m => m.Port != 0)
            ?? throw new InvalidDataException("The relay's answer accepts no media section.");
        string ufrag = Value(answer, media, "ice-ufrag");
        string password = Value(answer, media, "ice-pwd");
        if (!DtlsFingerprint.TryParse(Value(answer, media, "fingerprint"), out DtlsFingerprint? fingerprint))
        {
            throw new InvalidDataException("The relay's answer has no usable fingerprint.");
        }

        IPEndPoint? candidate = null;
        foreach (SdpAttributeLine line in media.FindAttributes("candidate"))
        {
            if (SdpCandidate.TryParse(line.Value, out SdpCandidate? parsed)
                && parsed.Transport.Equals("udp", StringComparison.OrdinalIgnoreCase)
                && IPAddress.TryParse(parsed.Address, out IPAddress? address)
                && IPAddress.IsLoopback(address))
            {
                candidate = new IPEndPoint(address, parsed.Port);
                break;
            }
        }

        if (candidate is null)
        {
            throw new InvalidDataException("The relay's answer has no loopback UDP candidate; start the relay with a loopback public address.");
        }

        uint? ssrc = null;
        SdpAttributeLine? ssrcLine = media.FindAttribute("ssrc");
        if (ssrcLine?.Value is string ssrcText
            && uint.TryParse(ssrcText.AsSpan(0, ssrcText.IndexOf(' ') is int space and > 0 ? space : ssrcText.Length), NumberStyles.None, CultureInfo.InvariantCulture, out uint parsedSsrc))
        {
            ssrc = parsedSsrc;
        }

        return new RelayAnswer(IceCredentials.Create(ufrag, password), fingerprint, candidate, ssrc);
    }

    private static string Value(SessionDescription session, MediaDescription media, string name) =>
        (media.FindAttribute(name) ?? session.FindAttribute(name))?.Value
        ?? throw new InvalidDataException($"The relay's answer has no a={name}.");
}
