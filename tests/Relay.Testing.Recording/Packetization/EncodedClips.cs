using System.Buffers.Binary;
using Relay.Recording.Export;
using Relay.Recording;

namespace Relay.Testing.Recording.Packetization;

/// <summary>
/// Test clips made by Debian ffmpeg at run time (3 s of testsrc at 320x240, 15 fps, a keyframe every
/// second; 3 s of a 440 Hz tone in Opus at 20 ms frames), read back into frames. One temp directory per
/// fixture, deleted at the end.
/// </summary>
public sealed class EncodedClips : IDisposable
{
    public const int Width = 320;
    public const int Height = 240;
    public const int FramesPerSecond = 15;
    public const int Seconds = 3;

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("relay-export-clips-").FullName;
    private readonly Lazy<IReadOnlyList<EncodedFrame>> _vp8;
    private readonly Lazy<IReadOnlyList<EncodedFrame>> _h264;
    private readonly Lazy<IReadOnlyList<EncodedFrame>> _opus;

    public EncodedClips()
    {
        _vp8 = new(MakeVp8);
        _h264 = new(MakeH264);
        _opus = new(MakeOpus);
    }

    public IReadOnlyList<EncodedFrame> Vp8 => _vp8.Value;

    public IReadOnlyList<EncodedFrame> H264 => _h264.Value;

    public IReadOnlyList<EncodedFrame> Opus => _opus.Value;

    public string Directory => _directory;

    /// <summary>Exports <paramref name="packets"/> to <paramref name="name"/> in this fixture's folder, then probes it and decodes it whole with ffmpeg.</summary>
    public (ExportReport Report, ProbeResult Probe) ExportAndProbe(string name, IReadOnlyList<RecordedTrack> tracks, List<RecordedPacket> packets)
    {
        string path = Path.Combine(_directory, name);
        ExportReport report;
        using (FileStream file = File.Create(path))
        {
            report = new RecordingExporter().Export(tracks, packets, file);
        }

        ProbeResult probe = Ffmpeg.Probe(path);
        Ffmpeg.DecodeCleanly(path);
        return (report, probe);
    }

    /// <summary>Deletes the clips and exports, unless RELAY_KEEP_EXPORTS is set (to look at them by hand).</summary>
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("RELAY_KEEP_EXPORTS") is null)
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    private const string Source = "testsrc=size=320x240:rate=15";

    private List<EncodedFrame> MakeVp8()
    {
        string path = Path.Combine(_directory, "clip.ivf");
        Ffmpeg.Encode("-f", "lavfi", "-i", Source, "-t", "3", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
            "-b:v", "400k", "-g", "15", "-keyint_min", "15", "-auto-alt-ref", "0", "-f", "ivf", path);
        return ReadIvf(File.ReadAllBytes(path), FramesPerSecond);
    }

    /// <summary>
    /// A VP8 clip of <paramref name="seconds"/> s of testsrc with noise (so the encoder spends its bitrate) at
    /// <paramref name="size"/>, <paramref name="rate"/> fps and <paramref name="bitrate"/>, a keyframe every second: a phone's picture at a realistic rate, for long recordings made by repeating it.
    /// </summary>
    public List<EncodedFrame> MakeVp8(string size, int rate, string bitrate, int seconds)
    {
        string path = Path.Combine(_directory, $"clip-{size}-{rate}-{bitrate}.ivf");
        string rateText = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Ffmpeg.Encode("-f", "lavfi", "-i", $"testsrc=size={size}:rate={rateText},noise=alls=24:allf=t+u", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", bitrate, "-minrate", bitrate, "-maxrate", bitrate,
            "-g", rateText, "-keyint_min", rateText, "-auto-alt-ref", "0", "-f", "ivf", path);
        return ReadIvf(File.ReadAllBytes(path), rate);
    }

    private List<EncodedFrame> MakeH264()
    {
        // Constrained baseline as browsers send it (no B-frames), two slices per picture so an access unit has several VCL NAL units.
        string path = Path.Combine(_directory, "clip.h264");
        Ffmpeg.Encode("-f", "lavfi", "-i", Source, "-t", "3", "-c:v", "libx264", "-profile:v", "baseline", "-preset", "veryfast",
            "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-slices", "2", "-pix_fmt", "yuv420p",
            "-bsf:v", "h264_mp4toannexb", "-f", "h264", path);
        return ReadAnnexB(File.ReadAllBytes(path));
    }

    private List<EncodedFrame> MakeOpus()
    {
        string path = Path.Combine(_directory, "clip.ogg");
        Ffmpeg.Encode("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-ac", "2", "-c:a", "libopus",
            "-b:a", "48k", "-frame_duration", "20", "-f", "ogg", path);
        return ReadOggOpus(File.ReadAllBytes(path));
    }

    /// <summary>As <see cref="MakeVp8(string, int, string, int)"/> in H.264 (constrained baseline, as browsers send it).</summary>
    public List<EncodedFrame> MakeH264(string size, int rate, string bitrate, int seconds)
    {
        string path = Path.Combine(_directory, $"clip-{size}-{rate}-{bitrate}.h264");
        string rateText = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Ffmpeg.Encode("-f", "lavfi", "-i", $"testsrc=size={size}:rate={rateText},noise=alls=24:allf=t+u", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-profile:v", "baseline", "-preset", "veryfast", "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate,
            "-g", rateText, "-keyint_min", rateText, "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-bsf:v", "h264_mp4toannexb", "-f", "h264", path);
        List<EncodedFrame> frames = ReadAnnexB(File.ReadAllBytes(path));
        for (int i = 0; i < frames.Count; i++)
        {
            frames[i] = frames[i] with { Seconds = i / (double)rate };
        }

        return frames;
    }

    /// <summary>IVF: a 32-byte file header ("DKIF"), then per frame a 12-byte header (size LE32, pts LE64) and the frame.</summary>
    private static List<EncodedFrame> ReadIvf(byte[] file, int framesPerSecond)
    {
        var frames = new List<EncodedFrame>();
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6));
        int offset = headerLength;
        int index = 0;
        while (offset + 12 <= file.Length)
        {
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
            byte[] data = file.AsSpan(offset + 12, size).ToArray();
            frames.Add(new EncodedFrame(data, index / (double)framesPerSecond, (data[0] & 1) == 0));
            offset += 12 + size;
            index++;
        }

        return frames;
    }

    /// <summary>Annex B: NAL units behind 00 00 01 start codes, grouped into access units (a new one at an AUD, SPS, PPS or SEI after a slice, or at a slice with first_mb_in_slice 0).</summary>
    private static List<EncodedFrame> ReadAnnexB(byte[] file)
    {
        var nalUnits = new List<byte[]>();
        int start = -1;
        for (int i = 0; i + 2 < file.Length; i++)
        {
            if (file[i] == 0 && file[i + 1] == 0 && file[i + 2] == 1)
            {
                if (start >= 0)
                {
                    nalUnits.Add(Trim(file.AsSpan(start, i - start)));
                }

                start = i + 3;
                i += 2;
            }
        }

        nalUnits.Add(Trim(file.AsSpan(start)));
        var frames = new List<EncodedFrame>();
        var current = new List<byte[]>();
        bool hasSlice = false;
        foreach (byte[] nal in nalUnits)
        {
            int type = nal[0] & 0x1F;
            bool slice = type is 1 or 5;
            bool startsNew = hasSlice && ((type is 6 or 7 or 8 or 9) || (slice && (nal[1] & 0x80) != 0));
            if (startsNew)
            {
                frames.Add(AccessUnit(current, frames.Count));
                current = [];
                hasSlice = false;
            }

            current.Add(nal);
            hasSlice |= slice;
        }

        frames.Add(AccessUnit(current, frames.Count));
        return frames;

        static byte[] Trim(ReadOnlySpan<byte> nal)
        {
            // A 4-byte start code leaves a trailing zero on the previous unit.
            while (nal.Length > 0 && nal[^1] == 0)
            {
                nal = nal[..^1];
            }

            return nal.ToArray();
        }
    }

    /// <summary>An access unit kept as its NAL units, each behind a 4-byte length (the form the exporter writes), for the packetizer to split.</summary>
    private static EncodedFrame AccessUnit(List<byte[]> nalUnits, int index)
    {
        var bytes = new List<byte>();
        bool idr = false;
        foreach (byte[] nal in nalUnits)
        {
            byte[] length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, nal.Length);
            bytes.AddRange(length);
            bytes.AddRange(nal);
            idr |= (nal[0] & 0x1F) == 5;
        }

        return new EncodedFrame([.. bytes], index / (double)FramesPerSecond, idr);
    }

    /// <summary>Ogg (RFC 3533) pages, their lacing values joined into packets; the OpusHead and OpusTags packets are skipped.</summary>
    private static List<EncodedFrame> ReadOggOpus(byte[] file)
    {
        var packets = new List<byte[]>();
        var pending = new List<byte>();
        int offset = 0;
        while (offset + 27 <= file.Length)
        {
            int segments = file[offset + 26];
            int data = offset + 27 + segments;
            for (int s = 0; s < segments; s++)
            {
                int lacing = file[offset + 27 + s];
                pending.AddRange(file.AsSpan(data, lacing).ToArray());
                data += lacing;
                if (lacing < 255)
                {
                    packets.Add([.. pending]);
                    pending.Clear();
                }
            }

            offset = data;
        }

        var frames = new List<EncodedFrame>();
        double seconds = 0;
        foreach (byte[] packet in packets.Skip(2))
        {
            frames.Add(new EncodedFrame(packet, seconds, true));
            seconds += OpusSamples(packet) / 48000.0;
        }

        return frames;
    }

    /// <summary>Samples in an Opus packet at 48 kHz, from its TOC byte (RFC 6716 section 3.1).</summary>
    public static int OpusSamples(byte[] packet)
    {
        int config = packet[0] >> 3;
        int frameSamples = config switch
        {
            < 12 => new[] { 480, 960, 1920, 2880 }[config % 4],
            < 16 => new[] { 480, 960 }[config % 2],
            _ => new[] { 120, 240, 480, 960 }[config % 4],
        };
        int count = (packet[0] & 3) switch { 0 => 1, 3 => packet.Length > 1 ? packet[1] & 0x3F : 1, _ => 2 };
        return frameSamples * count;
    }

    /// <summary>The index of the first keyframe at or after <paramref name="from"/>.</summary>
    public static int FirstKeyframeFrom(IReadOnlyList<EncodedFrame> frames, int from)
    {
        for (int i = from; i < frames.Count; i++)
        {
            if (frames[i].IsKeyframe)
            {
                return i;
            }
        }

        throw new InvalidOperationException("The clip has no keyframe after frame " + from);
    }
}
