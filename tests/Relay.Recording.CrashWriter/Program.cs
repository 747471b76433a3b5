using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Media.Streams;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Recording.CrashWriter;

/// <summary>
/// Records a synthetic stream into the directory given as the first argument until killed: one
/// 1,012-byte RTP packet per millisecond or so (sequence numbers from 0, payload bytes following from
/// them), 1-second segments. Every 20 ms it prints "recorded PACKETS SEGMENTS": packets the writer
/// task has written and segments closed, so the test knows what must survive the kill.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string directory = args[0];
        using EvidenceSigningKey key = EvidenceSigningKey.LoadOrCreate(Path.Combine(directory, "evidence.pem"));
        var counters = new RecordingCounters();
        var options = new SegmentWriterOptions { SegmentDuration = TimeSpan.FromSeconds(1), DrainInterval = TimeSpan.FromMilliseconds(5) };
        var recorder = new StreamRecorder(Path.Combine(directory, "recordings"), "crash-session", options, key, counters, TimeProvider.System, NullLogger.Instance);
        recorder.OnPublisherAttached([new PublishedTrack(MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, null, 1111, null, "0", null)], TimeProvider.System.GetTimestamp());
        byte[] packet = new byte[1012];
        long lastReport = Environment.TickCount64;
        for (int sequence = 0; ; sequence++)
        {
            Fill(packet, (ushort)sequence);
            recorder.OnRtp(0, TimeProvider.System.GetTimestamp(), packet);
            if (sequence % 2 == 0)
            {
                Thread.Sleep(1);
            }

            if (Environment.TickCount64 - lastReport >= 20)
            {
                lastReport = Environment.TickCount64;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recorded {counters.PacketsRecorded} {counters.SegmentsClosed}"));
                Console.Out.Flush();
            }
        }
    }

    /// <summary>The packet with sequence number <paramref name="sequence"/>, as the test rebuilds it.</summary>
    public static void Fill(byte[] packet, ushort sequence)
    {
        ArgumentNullException.ThrowIfNull(packet);
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 1111);
        for (int i = 12; i < packet.Length; i++)
        {
            packet[i] = (byte)(sequence + i - 12);
        }
    }
}
