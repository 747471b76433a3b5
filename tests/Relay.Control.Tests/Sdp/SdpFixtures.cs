using Relay.Control.Sdp;

namespace Relay.Control.Tests.Sdp;

/// <summary>The representative client offers in Sdp/Fixtures (see the README there).</summary>
internal static class SdpFixtures
{
    public const string ChromeWhip = "chrome-whip-offer.sdp";
    public const string SafariWhip = "safari-ios-whip-offer.sdp";
    public const string FirefoxWhip = "firefox-whip-offer.sdp";
    public const string ChromeWhep = "chrome-whep-offer.sdp";
    public const string GStreamerWhip = "gstreamer-webrtcbin-offer.sdp";

    /// <summary>Captured from Chromium 156 running the test page publish.html?codec=vp8.</summary>
    public const string CapturedChromiumWhipVp8 = "captured-chromium-whip-vp8-offer.sdp";

    /// <summary>Captured from Chromium 156 running the test page publish.html?codec=h264.</summary>
    public const string CapturedChromiumWhipH264 = "captured-chromium-whip-h264-offer.sdp";

    /// <summary>Captured from Chromium 156 running the test page view.html (recvonly video).</summary>
    public const string CapturedChromiumWhep = "captured-chromium-whep-offer.sdp";

    /// <summary>Captured from Chromium 156 with no codec preferences: fake microphone and camera, both sendonly.</summary>
    public const string CapturedChromiumWhipAudioVideo = "captured-chromium-whip-audio-video-offer.sdp";

    /// <summary>Captured from Chromium 156: recvonly video then audio, as a player offers.</summary>
    public const string CapturedChromiumWhepAudioVideo = "captured-chromium-whep-audio-video-offer.sdp";

    /// <summary>Captured from GStreamer 1.22 webrtcbin running the end-to-end tests' whip_publish.py.</summary>
    public const string CapturedGStreamerWhip = "captured-gstreamer-whip-vp8-offer.sdp";

    public static readonly string[] All =
    [
        ChromeWhip, SafariWhip, FirefoxWhip, ChromeWhep, GStreamerWhip,
        CapturedChromiumWhipVp8, CapturedChromiumWhipH264, CapturedChromiumWhep, CapturedGStreamerWhip,
        CapturedChromiumWhipAudioVideo, CapturedChromiumWhepAudioVideo,
    ];

    public static readonly string[] WhipOffers = [ChromeWhip, SafariWhip, FirefoxWhip, GStreamerWhip];

    /// <summary>The fixture as browsers send it, with CRLF line ends.</summary>
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sdp", "Fixtures", name)).ReplaceLineEndings("\r\n");

    /// <summary>The fixture with LF line ends, as stored.</summary>
    public static string ReadLf(string name) => Read(name).ReplaceLineEndings("\n");

    public static SessionDescription Parse(string name)
    {
        Assert.True(SdpParser.TryParse(Read(name), out SessionDescription? description, out string? error), error);
        return description;
    }

    public static TheoryData<string> AllNames() => new(All);

    public static TheoryData<string> WhipNames() => new(WhipOffers);
}
