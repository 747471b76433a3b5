using System.Buffers.Binary;
using Relay.Media.Streams;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Srtp;

namespace Relay.Media.Tests.Streams;

/// <summary>
/// The recording tap is handed what the publisher sent, decrypted, before any rewriting for viewers:
/// RTP as received (RTX unwrapped to the original), its sender reports, and the publisher's lifecycle.
/// </summary>
public sealed class MediaStreamRecordingTapTests
{
    [Fact]
    public async Task The_tap_sees_each_publisher_packet_decrypted_rtx_unwrapped_its_sender_reports_and_the_lifecycle()
    {
        var tap = new TapLog();
        await using var harness = new StreamHarness(recordingTap: tap);
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video(), StreamMedia.Audio());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(0xAAAA0001));
        var buffer = new byte[1500];
        var sent = new List<byte[]>();
        for (int i = 0; i < 3; i++)
        {
            int length = StreamMedia.WriteVp8(buffer, (ushort)(100 + i), 3000, keyframe: i == 0);
            sent.Add(buffer.AsSpan(0, length).ToArray());
            StreamMedia.Send(publisher.Transport, buffer, length);
        }

        int opus = StreamMedia.WriteOpus(buffer, 7, 960);
        byte[] audio = buffer.AsSpan(0, opus).ToArray();
        StreamMedia.Send(publisher.Transport, buffer, opus);

        // Packet 103 comes as RTX: the tap gets the original back.
        byte[] original = new byte[1500];
        int originalLength = StreamMedia.WriteVp8(original, 103, 3000, keyframe: false);
        int rtxLength = StreamMedia.WriteVp8(buffer, 9, 3000, keyframe: false, ssrc: StreamMedia.PublisherRtxSsrc, payloadType: StreamMedia.PublisherRtxPt);
        buffer.AsSpan(12, rtxLength - 12).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(12), 103);
        original.AsSpan(12, originalLength - 12).CopyTo(buffer.AsSpan(14));
        StreamMedia.Send(publisher.Transport, buffer, originalLength + 2);

        Assert.True(new SenderReportWriter(StreamMedia.PublisherVideoSsrc, new SenderInfo(0x1234_5678_9ABC_DEF0, 3000, 4, 4000)).TryWrite(buffer, out int srLength));
        byte[] senderReport = buffer.AsSpan(0, srLength).ToArray();
        Assert.Equal(SrtpError.None, publisher.Transport.SendRtcp(buffer, srLength));

        await StreamHarness.Eventually(() => tap.Count(TapLog.Rtcp) == 1 && tap.Count(TapLog.Rtp) == 5, () => $"5 RTP and 1 RTCP at the tap, got {tap.Describe()}");
        var events = tap.Events;
        Assert.Equal(TapLog.Attached, events[0].Kind);
        Assert.Equal(2, events[0].Tracks!.Count);
        var rtp = events.Where(static e => e.Kind == TapLog.Rtp).ToList();
        Assert.Equal([0, 0, 0, 1, 0], rtp.Select(static e => e.TrackIndex));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(sent[i], rtp[i].Bytes);
        }

        Assert.Equal(audio, rtp[3].Bytes);
        Assert.Equal(original.AsSpan(0, originalLength).ToArray(), rtp[4].Bytes);
        var rtcp = events.Single(static e => e.Kind == TapLog.Rtcp);
        Assert.Equal(0, rtcp.TrackIndex);
        Assert.Equal(senderReport, rtcp.Bytes);
        Assert.True(rtp.All(static e => e.Timestamp != 0));

        publisher.Transport.Dispose();
        await StreamHarness.Eventually(() => tap.Count(TapLog.Gone) == 1, () => "the publisher gone at the tap");
        harness.Stream.Dispose();
        Assert.Equal(TapLog.Ended, tap.Events[^1].Kind);
        Assert.Equal(0, harness.Stream.Counters.RecordingTapErrors);
    }

    [Fact]
    public async Task A_tap_that_throws_is_counted_and_forwarding_goes_on()
    {
        var tap = new TapLog { Throw = true };
        await using var harness = new StreamHarness(recordingTap: tap);
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(0xAAAA0001));
        var buffer = new byte[1500];
        StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, 1, 0, keyframe: true));

        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == 1, () => "the packet at the viewer");
        Assert.True(harness.Stream.Counters.RecordingTapErrors >= 2);
    }

    private sealed class TapLog : IRecordingTap
    {
        public const string Attached = "attached";
        public const string Rtp = "rtp";
        public const string Rtcp = "rtcp";
        public const string Gone = "gone";
        public const string Ended = "ended";

        private readonly Lock _lock = new();
        private readonly List<TapEvent> _events = [];

        public bool Throw { get; init; }

        public List<TapEvent> Events
        {
            get
            {
                lock (_lock)
                {
                    return [.. _events];
                }
            }
        }

        public int Count(string kind) => Events.Count(e => e.Kind == kind);

        public string Describe() => string.Join(", ", Events.Select(static e => e.Kind));

        public void OnPublisherAttached(IReadOnlyList<PublishedTrack> tracks, long timestamp) => Add(new(Attached, -1, timestamp, null, tracks));

        public void OnRtp(int trackIndex, long timestamp, ReadOnlySpan<byte> packet) => Add(new(Rtp, trackIndex, timestamp, packet.ToArray(), null));

        public void OnRtcp(int trackIndex, long timestamp, ReadOnlySpan<byte> packet) => Add(new(Rtcp, trackIndex, timestamp, packet.ToArray(), null));

        public void OnPublisherGone(long timestamp) => Add(new(Gone, -1, timestamp, null, null));

        public void OnEnded(long timestamp) => Add(new(Ended, -1, timestamp, null, null));

        private void Add(TapEvent e)
        {
            lock (_lock)
            {
                _events.Add(e);
            }

            if (Throw)
            {
                throw new InvalidOperationException("a recorder bug");
            }
        }
    }

    private sealed record TapEvent(string Kind, int TrackIndex, long Timestamp, byte[]? Bytes, IReadOnlyList<PublishedTrack>? Tracks);
}
