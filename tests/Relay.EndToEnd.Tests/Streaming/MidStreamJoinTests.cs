using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>An officer opening the player while the caller is already streaming sees the picture at once.</summary>
[Collection(BrowserGroup.Name)]
public sealed class MidStreamJoinTests(ChromiumFixture chromium, RelayFixture relay, ITestOutputHelper output)
{
    private static readonly TimeSpan s_firstFrameLimit = TimeSpan.FromSeconds(1);

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AViewerJoiningMidStreamShowsItsFirstFrameWithinOneSecond()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);
        await pages.PublishAsync(server, session, "vp8");
        IPage early = await pages.ViewAsync(server, session);

        // Well past the publisher's first keyframe: the late viewer needs a new one (or a cached one).
        await TestPages.WaitForStatsAsync(early, s => s.FramesDecoded >= 60, TimeSpan.FromSeconds(10), "the first viewer to decode two seconds of video");
        IPage late = await pages.ViewAsync(server, session);

        ViewerStats stats = await TestPages.WaitForStatsAsync(late, s => s.TimeToFirstFrameMs is not null, TimeSpan.FromSeconds(5), "the late viewer's first frame");
        output.WriteLine($"time to first frame: {stats.TimeToFirstFrameMs:F0} ms (from the WHEP offer to the first frame shown), steps {stats.Timings}");
        await TestPages.ScreenshotAsync(late, "mid-stream-join-viewer");
        Assert.True(
            stats.TimeToFirstFrameMs < s_firstFrameLimit.TotalMilliseconds,
            $"The late viewer's first frame came {stats.TimeToFirstFrameMs:F0} ms after it started; the limit is {s_firstFrameLimit.TotalMilliseconds} ms.");
    }
}
