using Relay.Media.Streams;
using Relay.Recording;

namespace Relay.Testing.Recording.Packetization;

/// <summary>One track's frames turned into recorded RTP (and RTCP) packets as the relay would have received them.</summary>
public sealed class RecordedStream
{
    private RecordedStream(RecordedTrack track, List<RecordedPacket> packets, int framesSent, int packetsSent, int packetsLost, int packetsReordered, double[] wallSeconds, HashSet<int> framesWithLoss)
    {
        Track = track;
        Packets = packets;
        FramesSent = framesSent;
        PacketsSent = packetsSent;
        PacketsLost = packetsLost;
        PacketsReordered = packetsReordered;
        WallSeconds = wallSeconds;
        FramesWithLoss = framesWithLoss;
    }

    public RecordedTrack Track { get; }

    public List<RecordedPacket> Packets { get; }

    public int FramesSent { get; }

    public int PacketsSent { get; }

    public int PacketsLost { get; }

    /// <summary>Pairs of neighbouring packets that arrived swapped.</summary>
    public int PacketsReordered { get; }

    /// <summary>When each frame was sent, in seconds from the clip's start on the sender's wall clock (a reconnect gap included): where the export must place it.</summary>
    public IReadOnlyList<double> WallSeconds { get; }

    /// <summary>Frames with at least one packet lost.</summary>
    public IReadOnlySet<int> FramesWithLoss { get; }

    public static RecordedStream Vp8(byte index, IReadOnlyList<EncodedFrame> frames, SendPlan plan) =>
        Build(new RecordedTrack(index, MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 0, null), frames, plan, (f, i) => RtpPacketizer.Vp8(f.Data, i & 0x7FFF));

    public static RecordedStream H264(byte index, IReadOnlyList<EncodedFrame> frames, SendPlan plan) =>
        Build(new RecordedTrack(index, MediaTrackKind.Video, MediaCodec.H264, 90000, 102, 0, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"), frames, plan, (f, _) => RtpPacketizer.H264(f.Data));

    public static RecordedStream Opus(byte index, IReadOnlyList<EncodedFrame> frames, SendPlan plan) =>
        Build(new RecordedTrack(index, MediaTrackKind.Audio, MediaCodec.Opus, 48000, 111, 2, "minptime=10;useinbandfec=1"), frames, plan, (f, _) => RtpPacketizer.Opus(f.Data));

    /// <summary>Every track's packets merged in arrival order, as a segment file would give them back.</summary>
    public static List<RecordedPacket> Merge(params RecordedStream[] streams) =>
        [.. streams.SelectMany(s => s.Packets).OrderBy(p => p.ArrivalMicroseconds)];

    private static RecordedStream Build(
        RecordedTrack track,
        IReadOnlyList<EncodedFrame> frames,
        SendPlan plan,
        Func<EncodedFrame, int, List<(byte[] Payload, bool Marker)>> packetize)
    {
        var random = new Random(plan.Seed);
        var sent = new List<(long Arrival, byte[] Packet, bool Rtcp)>();
        int packetsSent = 0;
        int lost = 0;
        int reordered = 0;
        double[] wallSeconds = new double[frames.Count];
        var framesWithLoss = new HashSet<int>();
        uint ssrc = (uint)random.Next(1, int.MaxValue);
        ushort sequence = (ushort)random.Next(0, 65536);
        uint timestampBase = (uint)random.NextInt64(0, uint.MaxValue);
        double connectionStart = 0;
        double shift = 0;
        double nextReport = 0;
        uint octets = 0;
        uint count = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            EncodedFrame frame = frames[i];
            if (plan.ReconnectAtFrame == i)
            {
                // The publisher comes back over a new connection: everything RTP restarts from new random bases.
                if (!plan.ReconnectKeepsSsrcAndSequence)
                {
                    ssrc = (uint)random.Next(1, int.MaxValue);
                    sequence = (ushort)random.Next(0, 65536);
                }

                timestampBase = (uint)random.NextInt64(0, uint.MaxValue);
                timestampBase = plan.ReconnectTimestampBase ?? timestampBase;
                sequence = plan.ReconnectSequenceBase ?? sequence;
                connectionStart = frame.Seconds;
                shift = plan.ReconnectGapSeconds;
                nextReport = frame.Seconds;
                count = 0;
                octets = 0;
            }

            double wall = frame.Seconds + shift;
            wallSeconds[i] = wall;
            uint timestamp = unchecked(timestampBase + (uint)Math.Round((frame.Seconds - connectionStart) * track.ClockRate));
            if (plan.SenderReports && frame.Seconds >= nextReport)
            {
                double ntpSeconds = plan.SenderNtpStartSeconds + wall;
                ulong ntp = ((ulong)Math.Floor(ntpSeconds) << 32) | (ulong)((ntpSeconds - Math.Floor(ntpSeconds)) * 4294967296.0);
                sent.Add((Micros(plan, wall), RtpPacketizer.SenderReport(ssrc, ntp, timestamp, count, octets), true));
                nextReport += 0.5;
            }

            long arrival = Micros(plan, wall) + (long)(random.NextDouble() * plan.JitterSeconds * 1_000_000);
            foreach ((byte[] payload, bool marker) in packetize(frame, i))
            {
                byte[] packet = RtpPacketizer.Rtp(track.PayloadType, marker, sequence++, timestamp, ssrc, payload);
                packetsSent++;
                count++;
                octets += (uint)payload.Length;
                arrival += 40;
                bool dropped = frame.Seconds < plan.LossUntilSeconds && random.NextDouble() < plan.LossRate;
                if (dropped || plan.LostFrames.Contains(i))
                {
                    lost++;
                    framesWithLoss.Add(i);
                    continue;
                }

                sent.Add((arrival, packet, false));
            }
        }

        for (int i = 0; i + 1 < sent.Count; i++)
        {
            // Neighbours only: a packet cannot overtake one sent long before it (across a reconnect gap, say).
            // The earlier packet is held up until just after the later one, as on a network: swapping their
            // arrival times instead would have the later packet arrive sooner after it was sent than any
            // other, which no network does and which moves a track's start (placed by its least delayed frame).
            if (!sent[i].Rtcp && !sent[i + 1].Rtcp && sent[i + 1].Arrival - sent[i].Arrival < 20_000 && random.NextDouble() < plan.ReorderRate)
            {
                (sent[i], sent[i + 1]) = (sent[i + 1], (sent[i + 1].Arrival + 1, sent[i].Packet, false));
                reordered++;
                i++;
            }
        }

        var packets = sent
            .Select(s => new RecordedPacket(s.Arrival, track.Index, s.Rtcp ? RecordedPacketKind.Rtcp : RecordedPacketKind.Rtp, s.Packet))
            .ToList();
        return new RecordedStream(track, packets, frames.Count, packetsSent, lost, reordered, wallSeconds, framesWithLoss);
    }

    private static long Micros(SendPlan plan, double wallSeconds) =>
        plan.StartMicroseconds + (long)Math.Round((wallSeconds + plan.DelaySeconds) * 1_000_000);
}
