using System.Globalization;
using System.Text;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;

namespace Relay.Load;

/// <summary>
/// The SDP offers a synthetic publisher (sendonly VP8) and viewer (recvonly VP8) send, shaped as a
/// browser's: BUNDLE, rtcp-mux, one video section, NACK and PLI feedback, DTLS actpass. The offer
/// carries no candidates: the relay is ICE-lite and the client checks its candidate from the answer.
/// </summary>
internal static class OfferBuilder
{
    public const byte Vp8PayloadType = 96;

    public static string Publisher(IceCredentials ice, DtlsFingerprint fingerprint, uint ssrc) =>
        Build(ice, fingerprint, "sendonly", ssrc);

    public static string Viewer(IceCredentials ice, DtlsFingerprint fingerprint) =>
        Build(ice, fingerprint, "recvonly", null);

    private static string Build(IceCredentials ice, DtlsFingerprint fingerprint, string direction, uint? ssrc)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");

        Line("v=0");
        Line(string.Create(CultureInfo.InvariantCulture, $"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1"));
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE 0");
        Line("a=msid-semantic: WMS load");
        Line(string.Create(CultureInfo.InvariantCulture, $"m=video 9 UDP/TLS/RTP/SAVPF {Vp8PayloadType}"));
        Line("c=IN IP4 0.0.0.0");
        Line("a=rtcp:9 IN IP4 0.0.0.0");
        Line("a=ice-ufrag:" + ice.Ufrag);
        Line("a=ice-pwd:" + ice.Password);
        Line("a=ice-options:trickle");
        Line("a=fingerprint:" + fingerprint);
        Line("a=setup:actpass");
        Line("a=mid:0");
        Line("a=" + direction);
        Line("a=rtcp-mux");
        Line("a=rtcp-rsize");
        Line(string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{Vp8PayloadType} VP8/90000"));
        Line(string.Create(CultureInfo.InvariantCulture, $"a=rtcp-fb:{Vp8PayloadType} nack"));
        Line(string.Create(CultureInfo.InvariantCulture, $"a=rtcp-fb:{Vp8PayloadType} nack pli"));
        Line(string.Create(CultureInfo.InvariantCulture, $"a=rtcp-fb:{Vp8PayloadType} ccm fir"));
        if (ssrc is uint value)
        {
            Line("a=msid:load video");
            Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{value} cname:load-{value:x8}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{value} msid:load video"));
        }

        return sdp.ToString();
    }
}
