using Relay.Control.Negotiation;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Offers;

/// <summary>
/// The offers this machine's Chromium sends from the test pages are accepted by the negotiators.
/// Copies of them are kept as test data in Relay.Control.Tests; this catches a browser upgrade.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class BrowserOfferTests(ChromiumFixture chromium)
{
    [Theory(Timeout = TestTimeouts.Test)]
    [InlineData("vp8", "VP8")]
    [InlineData("h264", "H264")]
    public async Task ChromiumWhipOfferIsAcceptedWithTheCodecThePageChose(string codec, string expected)
    {
        string offer = await OfferCapture.CaptureAsync(chromium, "publish.html", $"id=capture&token=t&codec={codec}");
        await File.WriteAllTextAsync(Path.Combine(Repository.Artifacts, $"chromium-whip-{codec}-offer.sdp"), offer);

        Assert.True(WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal(MediaKind.Video, video.Kind);
        Assert.Equal(expected, video.Codec.Name, ignoreCase: true);
        Assert.NotNull(video.RtxPayloadType);
        Assert.NotNull(video.RemoteSsrc);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ChromiumWhepOfferIsAcceptedForAVp8Stream()
    {
        string offer = await OfferCapture.CaptureAsync(chromium, "view.html", "id=capture&key=k");
        await File.WriteAllTextAsync(Path.Combine(Repository.Artifacts, "chromium-whep-offer.sdp"), offer);

        var stream = new OutgoingMedia("relay", "relay", [new OutgoingTrack(MediaKind.Video, RtpCodec.Vp8, 0x1234, 0x5678, "video")]);
        Assert.True(WhepNegotiator.TryNegotiate(offer, stream, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal(0x1234u, video.LocalSsrc);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ChromiumDefaultAudioAndVideoWhipOfferIsAcceptedWithOpusAndTheRelaysPreferredVideoCodec()
    {
        string offer = await OfferCapture.CaptureDefaultAsync(chromium, send: true);
        await File.WriteAllTextAsync(Path.Combine(Repository.Artifacts, "chromium-whip-default-audio-video-offer.sdp"), offer);

        Assert.True(WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        Assert.Equal([MediaKind.Audio, MediaKind.Video], session.Media.Select(m => m.Kind));
        Assert.Equal(RtpCodec.OpusName, session.Media[0].Codec.Name, ignoreCase: true);
        Assert.Equal(RtpCodec.H264("42e01f"), session.Media[1].Codec);
        Assert.NotNull(session.Media[1].RtxPayloadType);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ChromiumRecvonlyAudioAndVideoWhepOfferIsAcceptedForAnH264AndOpusStream()
    {
        string offer = await OfferCapture.CaptureDefaultAsync(chromium, send: false);
        await File.WriteAllTextAsync(Path.Combine(Repository.Artifacts, "chromium-whep-audio-video-offer.sdp"), offer);

        var stream = new OutgoingMedia("relay", "relay",
        [
            new OutgoingTrack(MediaKind.Video, RtpCodec.H264("42e01f"), 0x1234, 0x5678, "video"),
            new OutgoingTrack(MediaKind.Audio, RtpCodec.Opus, 0x9abc, null, "audio"),
        ]);
        Assert.True(WhepNegotiator.TryNegotiate(offer, stream, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        Assert.Equal([MediaKind.Video, MediaKind.Audio], session.Media.Select(m => m.Kind));
        Assert.Equal(0x9abcu, session.Media[1].LocalSsrc);
    }
}
