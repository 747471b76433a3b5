using Relay.Media.Streams;
using Relay.Recording.Depacketizers;

namespace Relay.Recording.Export;

/// <summary>
/// The exporter: depacketizes every track (<see cref="RtpDepacketizer"/>), places frames on one time
/// axis (<see cref="TimelinePlacement"/>), and writes WebM (VP8, Opus) or MP4 (H.264, Opus).
/// </summary>
/// <remarks>
/// It streams (issue 5: an hour of 2 Mbit/s video is about 1 GB). Placement needs every timeline's
/// first and least delayed frames before the first frame's time is known, so the packets are read
/// twice rather than their frames held: a first pass depacketizes every track and keeps per timeline
/// only what placement needs (<see cref="TrackTimeline"/>); then each included track is depacketized
/// again from its own pass over the packets, and <see cref="Interleave"/> merges the tracks by time
/// holding one frame each. The muxers write as they go (a WebM cluster at a time; MP4 keeps only
/// per-frame sizes, offsets and times for its tables). So <c>packets</c> is enumerated once plus once
/// per included track, and must give the same packets each time (a list does; so does
/// <see cref="Bundles.EvidenceBundleWriter"/>'s reader of stored segments, which holds one segment at a time).
/// </remarks>
public sealed class RecordingExporter : IRecordingExporter
{
    private const string WritingApp = "Relay";

    /// <summary>MP4 when there is H.264 video, WebM otherwise (VP8, or audio only).</summary>
    public static ExportContainer ChooseContainer(IReadOnlyList<RecordedTrack> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        foreach (RecordedTrack track in tracks)
        {
            if (track.Codec == MediaCodec.H264)
            {
                return ExportContainer.Mp4;
            }
        }

        return ExportContainer.WebM;
    }

    /// <summary>Exports to the container <see cref="ChooseContainer"/> picks.</summary>
    public ExportReport Export(IReadOnlyList<RecordedTrack> tracks, IEnumerable<RecordedPacket> packets, Stream output) =>
        Export(tracks, packets, output, ChooseContainer(tracks));

    public ExportReport Export(IReadOnlyList<RecordedTrack> tracks, IEnumerable<RecordedPacket> packets, Stream output, ExportContainer container)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(packets);
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanSeek || !output.CanWrite)
        {
            throw new ArgumentException("The export needs a writable, seekable stream (sizes and indexes are patched in at the end).", nameof(output));
        }

        var timelines = new TrackTimeline?[256];
        foreach (RecordedTrack track in tracks)
        {
            if (timelines[track.Index] is not null)
            {
                throw new ArgumentException($"Track index {track.Index} appears twice.", nameof(tracks));
            }

            timelines[track.Index] = new TrackTimeline(new RtpDepacketizer(track));
        }

        // First pass: every track's frames are counted and measured for placement, then dropped.
        long unknown = 0;
        foreach (RecordedPacket packet in packets)
        {
            TrackTimeline? timeline = timelines[packet.TrackIndex];
            if (timeline is null)
            {
                unknown++;
                continue;
            }

            if (packet.Kind == RecordedPacketKind.Rtp)
            {
                timeline.Depacketizer.PushRtp(packet.ArrivalMicroseconds, packet.Data.Span);
                Observe(timeline);
            }
            else if (packet.Kind == RecordedPacketKind.Rtcp)
            {
                timeline.Depacketizer.PushRtcp(packet.Data.Span);
            }
            else
            {
                unknown++;
            }
        }

        var candidates = new List<TrackTimeline>();
        foreach (RecordedTrack track in tracks)
        {
            TrackTimeline timeline = timelines[track.Index]!;
            timeline.Depacketizer.Complete();
            Observe(timeline);
            candidates.Add(timeline);
        }

        var reasons = new Dictionary<byte, string>();
        var chosen = new List<TrackTimeline>();
        foreach (TrackTimeline candidate in candidates)
        {
            string? reason = Unfit(candidate.Depacketizer, candidate.FrameCount, container);
            if (reason is null)
            {
                chosen.Add(candidate);
            }
            else
            {
                reasons[candidate.Depacketizer.Track.Index] = reason;
            }
        }

        long originMicroseconds = TimelinePlacement.Place(chosen, out long[] frameDurations);
        var muxTracks = new List<MuxTrack>();
        for (int i = 0; i < chosen.Count; i++)
        {
            RtpDepacketizer depacketizer = chosen[i].Depacketizer;
            int width = depacketizer.Width;
            int height = depacketizer.Height;
            H264SequenceParameterSet sps = default;
            if (depacketizer.Track.Codec == MediaCodec.H264)
            {
                _ = H264SequenceParameterSet.TryParse(depacketizer.SequenceParameterSet, out sps);
                width = sps.Width;
                height = sps.Height;
            }

            var muxTrack = new MuxTrack(i + 1, depacketizer.Track, PlacedFrames(packets, chosen[i], originMicroseconds))
            {
                Width = width,
                Height = height,
                Channels = depacketizer.Track.Channels is 1 or 2 ? depacketizer.Track.Channels : 2,
                Sps = sps,
                SpsBytes = depacketizer.SequenceParameterSet,
                PpsBytes = depacketizer.PictureParameterSet,
                FrameDurationMicroseconds = frameDurations[i],
            };
            muxTracks.Add(muxTrack);
        }

        // Second pass: each included track reads the packets again while the muxer writes.
        DateTimeOffset? startTime = muxTracks.Count == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(originMicroseconds * 10);
        long duration = container == ExportContainer.WebM
            ? WebMWriter.Write(output, muxTracks, startTime, WritingApp)
            : Mp4Writer.Write(output, muxTracks, startTime, WritingApp);

        var report = new List<ExportedTrack>();
        foreach (TrackTimeline candidate in candidates)
        {
            RtpDepacketizer depacketizer = candidate.Depacketizer;
            MuxTrack? mux = muxTracks.Find(t => t.Source.Index == depacketizer.Track.Index);
            report.Add(new ExportedTrack(
                depacketizer.Track.Index,
                depacketizer.Track.Codec,
                mux is not null,
                reasons.GetValueOrDefault(depacketizer.Track.Index),
                mux?.FrameCount ?? 0,
                TimeSpan.FromTicks((mux?.StartMicroseconds ?? 0) * 10),
                TimeSpan.FromTicks(mux is null ? 0 : (mux.EndMicroseconds - mux.StartMicroseconds) * 10),
                mux?.Width ?? 0,
                mux?.Height ?? 0,
                depacketizer.Counters,
                depacketizer.Timelines));
        }

        return new ExportReport(container, startTime, TimeSpan.FromTicks(duration * 10), report, unknown);
    }

    private static void Observe(TrackTimeline timeline)
    {
        while (timeline.Depacketizer.TryRead(out DepacketizedFrame frame))
        {
            timeline.Observe(frame);
        }
    }

    /// <summary>The second pass of one track: its packets depacketized again and each frame placed, as the muxer asks for them.</summary>
    private static IEnumerable<TimedFrame> PlacedFrames(IEnumerable<RecordedPacket> packets, TrackTimeline timeline, long originMicroseconds)
    {
        RecordedTrack track = timeline.Depacketizer.Track;
        var depacketizer = new RtpDepacketizer(track);
        foreach (RecordedPacket packet in packets)
        {
            if (packet.TrackIndex != track.Index)
            {
                continue;
            }

            if (packet.Kind == RecordedPacketKind.Rtp)
            {
                depacketizer.PushRtp(packet.ArrivalMicroseconds, packet.Data.Span);
            }
            else if (packet.Kind == RecordedPacketKind.Rtcp)
            {
                depacketizer.PushRtcp(packet.Data.Span);
            }

            while (depacketizer.TryRead(out DepacketizedFrame frame))
            {
                yield return timeline.Place(frame, originMicroseconds);
            }
        }

        depacketizer.Complete();
        while (depacketizer.TryRead(out DepacketizedFrame frame))
        {
            yield return timeline.Place(frame, originMicroseconds);
        }

        timeline.EndPlacing();
    }

    private static string? Unfit(RtpDepacketizer depacketizer, long frames, ExportContainer container)
    {
        MediaCodec codec = depacketizer.Track.Codec;
        bool fits = codec == MediaCodec.Opus
            || (codec == MediaCodec.Vp8 && container == ExportContainer.WebM)
            || (codec == MediaCodec.H264 && container == ExportContainer.Mp4);
        if (!fits)
        {
            return $"{codec} cannot go in {container}.";
        }

        if (frames == 0)
        {
            return "No whole frame was received.";
        }

        if (codec == MediaCodec.Vp8 && (depacketizer.Width == 0 || depacketizer.Height == 0))
        {
            return "No VP8 keyframe was received, so the picture size is unknown.";
        }

        if (codec == MediaCodec.H264)
        {
            if (depacketizer.SequenceParameterSet is null || depacketizer.PictureParameterSet is null)
            {
                return "No H.264 sequence and picture parameter sets were received.";
            }

            if (!H264SequenceParameterSet.TryParse(depacketizer.SequenceParameterSet, out _))
            {
                return "The H.264 sequence parameter set could not be read.";
            }
        }

        return null;
    }
}
