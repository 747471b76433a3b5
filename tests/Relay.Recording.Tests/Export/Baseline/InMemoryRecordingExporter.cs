using Relay.Media.Streams;
using Relay.Recording.Depacketizers;
using Relay.Recording.Export;

namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>
/// The exporter as it was before export streamed (issue 5): every track's frames held in memory,
/// placed, then muxed. Kept as the reference the streaming <see cref="Relay.Recording.Export.RecordingExporter"/>
/// must match byte for byte, and as the baseline its memory and throughput are measured against.
/// </summary>
internal sealed class InMemoryRecordingExporter : IRecordingExporter
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

        var depacketizers = new RtpDepacketizer?[256];
        var frames = new List<DepacketizedFrame>?[256];
        foreach (RecordedTrack track in tracks)
        {
            if (depacketizers[track.Index] is not null)
            {
                throw new ArgumentException($"Track index {track.Index} appears twice.", nameof(tracks));
            }

            depacketizers[track.Index] = new RtpDepacketizer(track);
            frames[track.Index] = [];
        }

        long unknown = 0;
        foreach (RecordedPacket packet in packets)
        {
            RtpDepacketizer? depacketizer = depacketizers[packet.TrackIndex];
            if (depacketizer is null)
            {
                unknown++;
                continue;
            }

            if (packet.Kind == RecordedPacketKind.Rtp)
            {
                depacketizer.PushRtp(packet.ArrivalMicroseconds, packet.Data.Span);
                Drain(depacketizer, frames[packet.TrackIndex]!);
            }
            else if (packet.Kind == RecordedPacketKind.Rtcp)
            {
                depacketizer.PushRtcp(packet.Data.Span);
            }
            else
            {
                unknown++;
            }
        }

        var candidates = new List<(RtpDepacketizer Depacketizer, List<DepacketizedFrame> Frames)>();
        foreach (RecordedTrack track in tracks)
        {
            RtpDepacketizer depacketizer = depacketizers[track.Index]!;
            depacketizer.Complete();
            Drain(depacketizer, frames[track.Index]!);
            candidates.Add((depacketizer, frames[track.Index]!));
        }

        var reasons = new Dictionary<byte, string>();
        var chosen = new List<(RtpDepacketizer Depacketizer, List<DepacketizedFrame> Frames)>();
        foreach ((RtpDepacketizer depacketizer, List<DepacketizedFrame> trackFrames) in candidates)
        {
            string? reason = Unfit(depacketizer, trackFrames, container);
            if (reason is null)
            {
                chosen.Add((depacketizer, trackFrames));
            }
            else
            {
                reasons[depacketizer.Track.Index] = reason;
            }
        }

        List<List<TimedFrame>> placed = TimelinePlacement.Place(chosen, out long originMicroseconds, out long[] frameDurations);
        var muxTracks = new List<MuxTrack>();
        long duration = 0;
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

            var muxTrack = new MuxTrack(i + 1, depacketizer.Track, placed[i])
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
            duration = Math.Max(duration, muxTrack.EndMicroseconds);
        }

        DateTimeOffset? startTime = muxTracks.Count == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(originMicroseconds * 10);
        if (container == ExportContainer.WebM)
        {
            WebMWriter.Write(output, muxTracks, duration, startTime, WritingApp);
        }
        else
        {
            Mp4Writer.Write(output, muxTracks, duration, startTime, WritingApp);
        }

        var report = new List<ExportedTrack>();
        foreach ((RtpDepacketizer depacketizer, _) in candidates)
        {
            MuxTrack? mux = muxTracks.Find(t => t.Source.Index == depacketizer.Track.Index);
            report.Add(new ExportedTrack(
                depacketizer.Track.Index,
                depacketizer.Track.Codec,
                mux is not null,
                reasons.GetValueOrDefault(depacketizer.Track.Index),
                mux?.Frames.Count ?? 0,
                TimeSpan.FromTicks((mux?.StartMicroseconds ?? 0) * 10),
                TimeSpan.FromTicks(mux is null ? 0 : (mux.EndMicroseconds - mux.StartMicroseconds) * 10),
                mux?.Width ?? 0,
                mux?.Height ?? 0,
                depacketizer.Counters,
                depacketizer.Timelines));
        }

        return new ExportReport(container, startTime, TimeSpan.FromTicks(duration * 10), report, unknown);
    }

    private static void Drain(RtpDepacketizer depacketizer, List<DepacketizedFrame> frames)
    {
        while (depacketizer.TryRead(out DepacketizedFrame frame))
        {
            frames.Add(frame);
        }
    }

    private static string? Unfit(RtpDepacketizer depacketizer, List<DepacketizedFrame> frames, ExportContainer container)
    {
        MediaCodec codec = depacketizer.Track.Codec;
        bool fits = codec == MediaCodec.Opus
            || (codec == MediaCodec.Vp8 && container == ExportContainer.WebM)
            || (codec == MediaCodec.H264 && container == ExportContainer.Mp4);
        if (!fits)
        {
            return $"{codec} cannot go in {container}.";
        }

        if (frames.Count == 0)
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
