using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Media.Streams;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Bench.Recording;

/// <summary>
/// What recording costs the process in CPU time (user and kernel, every thread: the tap, the writer
/// thread's wake-ups, writes, fsyncs, journals), paced like the load suite rather than as fast as
/// possible: <c>Relay.Bench recording-cpu --mode on|off [--recorders 10] [--pps 120] [--seconds 20]
/// [--warmup 10] [--drain-ms 20] [--dir PATH]</c>. One pacer thread hands each recorder its packets every millisecond; with
/// <c>off</c> it does the same without recorders, so on minus off over the packets is the CPU per
/// recorded packet. Prints one line; run on and off alternately, in separate processes.
/// </summary>
internal static class RecordingCpuCost
{
    private const int PacketLength = 1200;

    public static int Run(string[] args)
    {
        string mode = Option(args, "--mode", "on");
        int recorders = int.Parse(Option(args, "--recorders", "10"), CultureInfo.InvariantCulture);
        int pps = int.Parse(Option(args, "--pps", "120"), CultureInfo.InvariantCulture);
        double seconds = double.Parse(Option(args, "--seconds", "20"), CultureInfo.InvariantCulture);
        int drainMilliseconds = int.Parse(Option(args, "--drain-ms", "20"), CultureInfo.InvariantCulture);
        double warmUp = double.Parse(Option(args, "--warmup", "10"), CultureInfo.InvariantCulture);
        string root = Path.Combine(Option(args, "--dir", Path.GetTempPath()), "relay-recording-cpu-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var counters = new RecordingCounters();
        var taps = new StreamRecorder[mode == "on" ? recorders : 0];
        long start = TimeProvider.System.GetTimestamp();
        for (int i = 0; i < taps.Length; i++)
        {
            taps[i] = new StreamRecorder(root, "cpu-" + i, new SegmentWriterOptions { DrainInterval = TimeSpan.FromMilliseconds(drainMilliseconds) }, key, counters, TimeProvider.System, NullLogger.Instance);
            taps[i].OnPublisherAttached([new PublishedTrack(MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 97, 0x11110001, 0x11110002, "0", null)], start);
        }

        byte[] packet = new byte[PacketLength];
        packet[0] = 0x80;
        packet[1] = 96;
        packet.AsSpan(12).Fill(0x5A);

        // Warm-up (tiered JIT compilation settles, first segments), then the measured span.
        Pace(taps, packet, recorders, pps, warmUp, out _);
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long switchesBefore = ContextSwitches();
        Dictionary<string, long> threadsBefore = ThreadTicks();
        long jitMethodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        TimeSpan jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        long wallBefore = Stopwatch.GetTimestamp();
        Pace(taps, packet, recorders, pps, seconds, out long sent);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long switches = ContextSwitches() - switchesBefore;
        Dictionary<string, long> threadsAfter = ThreadTicks();
        long jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsBefore;
        TimeSpan jit = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        double wall = Stopwatch.GetElapsedTime(wallBefore).TotalSeconds;

        foreach (StreamRecorder tap in taps)
        {
            tap.OnEnded(TimeProvider.System.GetTimestamp());
        }

        foreach (StreamRecorder tap in taps)
        {
            tap.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Directory.Delete(root, recursive: true);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode={mode} recorders={recorders} pps={pps} wall_s={wall:F1} packets={sent} cpu_ms={cpu.TotalMilliseconds:F0} cpu_us_per_packet={cpu.TotalMicroseconds / Math.Max(1, sent):F2} cpu_ms_per_s={cpu.TotalMilliseconds / wall:F1} context_switches_per_s={switches / wall:F0} jit_methods={jitMethods} jit_ms={jit.TotalMilliseconds:F0} dropped={counters.PacketsDropped}"));
        foreach ((string name, long ticks) in threadsAfter)
        {
            long delta = ticks - threadsBefore.GetValueOrDefault(name);
            if (delta > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  thread '{name}': {delta * 10} ms"));
            }
        }

        return 0;
    }

    // CPU time (user + system, in clock ticks of 10 ms) per thread name.
    private static Dictionary<string, long> ThreadTicks()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            string stat = File.ReadAllText(Path.Combine(task, "stat"));
            int open = stat.IndexOf('(', StringComparison.Ordinal);
            int close = stat.LastIndexOf(')');
            string name = stat[(open + 1)..close];
            string[] fields = stat[(close + 2)..].Split(' ');
            // After the name: state is field 3, utime field 14, stime field 15 (proc(5)).
            long used = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            ticks[name] = ticks.GetValueOrDefault(name) + used;
        }

        return ticks;
    }

    // Each recorder its packets every millisecond (as the receive thread would, in bursts).
    private static void Pace(StreamRecorder[] taps, byte[] packet, int recorders, int pps, double seconds, out long sent)
    {
        long begin = Stopwatch.GetTimestamp();
        long end = begin + (long)(seconds * Stopwatch.Frequency);
        long done = 0;
        ushort sequence = 0;
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                break;
            }

            long due = (long)((now - begin) * (double)pps / Stopwatch.Frequency);
            for (; done < due; done++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
                foreach (StreamRecorder tap in taps)
                {
                    tap.OnRtp(0, now, packet);
                }
            }

            Thread.Sleep(1);
        }

        sent = done * recorders;
    }

    private static long ContextSwitches()
    {
        long total = 0;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            foreach (string line in File.ReadLines(Path.Combine(task, "status")))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
