using Relay.Media.Streams;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Srtp;
using Relay.Testing;

namespace Relay.Media.Tests.Streams;

/// <summary>RTCP from viewers that is malformed or names SSRCs the relay does not send them is dropped and counted.</summary>
public class MediaStreamHostileInputTests
{
    private const uint ViewerSsrc = 0xAAAA0001;

    [Fact]
    public async Task EveryTruncationOfAViewersCompound_IsDroppedAndCounted_AndNothingReachesThePublisher()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        long plisBefore = harness.Stream.Counters.KeyframeRequestsSent;

        // A receiver report and a PLI for the viewer's own SSRC; every shorter prefix is malformed,
        // except the one that ends after the receiver report.
        var valid = new byte[64];
        var compound = new RtcpCompoundWriter(valid);
        Assert.True(compound.TryAdd(new ReceiverReportWriter(1)));
        Assert.True(compound.TryAdd(new PictureLossIndication(1, ViewerSsrc)));
        byte[] packet = valid[..compound.Written];
        int sent = 0;
        int malformed = 0;
        var buffer = new byte[1500];
        foreach (byte[] truncated in HostileInput.Truncations(packet))
        {
            truncated.CopyTo(buffer, 0);
            if (viewer.Transport.SendRtcp(buffer, truncated.Length) == SrtpError.None)
            {
                sent++;
                malformed += RtcpCompoundEnumerator.Validate(truncated) != RtcpParseError.None ? 1 : 0;
            }
        }

        await StreamHarness.Eventually(() => harness.Stream.Counters.RtcpPacketsIn == sent, () => $"{sent} compounds handled, got {harness.Stream.Counters.RtcpPacketsIn}");
        Assert.True(malformed > 0);
        Assert.Equal(malformed, harness.Stream.Counters.GetDrops(MediaDropReason.MalformedRtcp));
        Assert.Equal(0, harness.Stream.Counters.PlisReceived);
        Assert.Equal(plisBefore, harness.Stream.Counters.KeyframeRequestsSent);
    }

    [Fact]
    public async Task FeedbackNamingAnotherSsrc_IsDroppedAndCounted()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        (_, TestPeer other) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(0xBBBB0002));
        var buffer = new byte[1500];

        // Another viewer's SSRC, the publisher's, and one nobody uses: PLI, NACK, FIR.
        Send(viewer, buffer, StreamMedia.WritePli(buffer, 1, 0xBBBB0002));
        Send(viewer, buffer, StreamMedia.WritePli(buffer, 1, StreamMedia.PublisherVideoSsrc));
        Send(viewer, buffer, StreamMedia.WriteNack(buffer, 1, 0xDEADBEEF, 1, 2, 3));
        Assert.True(new FullIntraRequestWriter(1, [new FirEntry(0xDEADBEEF, 1)]).TryWrite(buffer, out int length));
        Send(viewer, buffer, length);

        await StreamHarness.Eventually(() => harness.Stream.Counters.RtcpPacketsIn == 4, () => "4 compounds handled");
        Assert.Equal(4, harness.Stream.Counters.GetDrops(MediaDropReason.UnknownSsrc));
        Assert.Equal(0, harness.Stream.Counters.PlisReceived + harness.Stream.Counters.FirsReceived + harness.Stream.Counters.NacksReceived);
        Assert.Equal(0, harness.Stream.Counters.RetransmissionsSent);
    }

    [Fact]
    public async Task CorruptedViewerRtcp_NeverStopsTheStream()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        var buffer = new byte[1500];
        int length = StreamMedia.WriteNack(buffer, 1, ViewerSsrc, 10, 11, 30);
        byte[] valid = buffer[..length];
        int sent = 0;
        foreach ((_, byte[] corrupted) in HostileInput.Corruptions(valid, seeds: 20, perSeed: 20))
        {
            if (corrupted.Length <= 1400)
            {
                corrupted.CopyTo(buffer, 0);
                sent += viewer.Transport.SendRtcp(buffer, corrupted.Length) == SrtpError.None ? 1 : 0;
            }
        }

        // Corruptions of the second byte demultiplex as RTP and fail SRTP at the transport; the rest reach the stream.
        Assert.True(sent > 0);
        await StreamHarness.Eventually(
            () => harness.Stream.Counters.RtcpPacketsIn > 0 && harness.Stream.Counters.RtcpPacketsIn == viewer.RelaySide.Counters.RtcpPacketsIn,
            () => $"the compounds handled ({harness.Stream.Counters.RtcpPacketsIn} of {viewer.RelaySide.Counters.RtcpPacketsIn})");
        for (int i = 0; i < 10; i++)
        {
            StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)i, 0, keyframe: i == 0));
        }

        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == 10, () => $"the stream goes on, got {viewer.Handler.RtpCount}");
    }

    private static void Send(TestPeer peer, byte[] buffer, int length) =>
        Assert.Equal(SrtpError.None, peer.Transport.SendRtcp(buffer, length));
}
