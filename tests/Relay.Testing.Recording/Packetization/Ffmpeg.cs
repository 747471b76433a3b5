using System.Diagnostics;
using System.Text.Json;

namespace Relay.Testing.Recording.Packetization;

/// <summary>
/// Debian's ffmpeg and ffprobe, run as child processes: ffmpeg encodes the test clips (libvpx, libx264,
/// libopus), ffprobe reads what the exporter wrote. A missing tool, an error the tool prints or a
/// failed run throws (<see cref="FfmpegException"/>) with what went wrong, which fails the test or the
/// measurement; nothing is skipped.
/// </summary>
public static class Ffmpeg
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public static void Encode(params string[] arguments) => Run("ffmpeg", ["-v", "error", "-nostdin", "-y", .. arguments]);

    /// <summary>Runs ffprobe with frame counting (decodes every frame); fails on any message it prints at level error.</summary>
    public static ProbeResult Probe(string path) => Probe(path, "-count_frames", "nb_read_frames");

    /// <summary>Runs ffprobe counting the container's frames (packets) without decoding them: quick for long files.</summary>
    public static ProbeResult ProbeContainer(string path) => Probe(path, "-count_packets", "nb_read_packets");

    private static ProbeResult Probe(string path, string count, string counted)
    {
        (string stdout, string stderr) = Run("ffprobe", ["-v", "error", "-show_streams", "-show_format", count, "-of", "json", path]);
        Check(stderr.Length == 0, $"ffprobe reported errors for {path}:\n{stderr}");
        using JsonDocument json = JsonDocument.Parse(stdout);
        var streams = new List<ProbeStream>();
        foreach (JsonElement stream in json.RootElement.GetProperty("streams").EnumerateArray())
        {
            streams.Add(new ProbeStream(
                stream.GetProperty("codec_name").GetString()!,
                stream.GetProperty("codec_type").GetString()!,
                stream.TryGetProperty("width", out JsonElement width) ? width.GetInt32() : 0,
                stream.TryGetProperty("height", out JsonElement height) ? height.GetInt32() : 0,
                int.Parse(stream.GetProperty(counted).GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                ParseDouble(stream, "start_time")));
        }

        JsonElement format = json.RootElement.GetProperty("format");
        return new ProbeResult(format.GetProperty("format_name").GetString()!, ParseDouble(format, "duration"), streams);
    }

    /// <summary>The presentation time, in seconds, of every packet (frame) of the file's one stream of <paramref name="codecType"/> ("video", "audio"), in time order.</summary>
    public static List<double> PacketTimes(string path, string codecType)
    {
        (string stdout, string stderr) = Run("ffprobe", ["-v", "error", "-select_streams", codecType[..1], "-show_entries", "packet=pts_time", "-of", "csv=p=0", path]);
        Check(stderr.Length == 0, $"ffprobe reported errors for {path}:\n{stderr}");
        var times = new List<double>();
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            times.Add(double.Parse(line.TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture));
        }

        times.Sort();
        return times;
    }

    /// <summary>Decodes the whole file and fails on any error ffmpeg reports.</summary>
    public static void DecodeCleanly(string path)
    {
        (_, string stderr) = Run("ffmpeg", ["-v", "error", "-nostdin", "-i", path, "-f", "null", "-"]);
        Check(stderr.Length == 0, $"ffmpeg reported decode errors for {path}:\n{stderr}");
    }

    private static double ParseDouble(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value)
            ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : double.NaN;

    private static (string Stdout, string Stderr) Run(string tool, string[] arguments)
    {
        string path = Find(tool);
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                throw new FfmpegException($"{tool} {string.Join(' ', arguments)} did not finish within {s_timeout}.");
            }

            process.WaitForExit();
            string error = stderr.GetAwaiter().GetResult();
            Check(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{error}");
            return (stdout.GetAwaiter().GetResult(), error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Find(string tool)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FfmpegException($"{tool} was not found on PATH: install ffmpeg (Debian package 'ffmpeg'; ./relay.sh test installs it). The export tests need it to make clips and to check every exported file.");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FfmpegException(message);
        }
    }
}
