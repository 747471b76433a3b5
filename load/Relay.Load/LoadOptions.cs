using System.Globalization;

namespace Relay.Load;

/// <summary>The scenario: how many publishers and viewers, at what rate, for how long, against which relay.</summary>
internal sealed class LoadOptions
{
    public int Publishers { get; set; } = 10;

    public int ViewersPerPublisher { get; set; } = 10;

    public int BitrateKbps { get; set; } = 1000;

    public int FramesPerSecond { get; set; } = 30;

    public TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The relay's HTTP address; null starts one (the built Relay.Server) on free loopback ports.</summary>
    public Uri? RelayUrl { get; set; }

    /// <summary>The relay's process id, to read its CPU time when <see cref="RelayUrl"/> is given.</summary>
    public int? RelayProcessId { get; set; }

    public string ApiKey { get; set; } = "load-suite-key-0123456789abcdef";

    public string? RelayDll { get; set; }

    public string? ResultsFile { get; set; }

    /// <summary>
    /// CPUs the relay the suite starts may run on, as taskset(1) takes them ("0"); null for anywhere.
    /// Run the suite itself under `taskset -c 1` to keep the load generator off the relay's core.
    /// </summary>
    public string? RelayCpus { get; set; }

    /// <summary>More arguments for the relay the suite starts (e.g. --Relay:Media:BatchedIo=false), in order.</summary>
    public List<string> RelayArguments { get; } = [];

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "--publishers": options.Publishers = NextInt(); break;
                case "--viewers": options.ViewersPerPublisher = NextInt(); break;
                case "--bitrate-kbps": options.BitrateKbps = NextInt(); break;
                case "--fps": options.FramesPerSecond = NextInt(); break;
                case "--warmup": options.WarmUp = TimeSpan.FromSeconds(NextInt()); break;
                case "--duration": options.Duration = TimeSpan.FromSeconds(NextInt()); break;
                case "--relay": options.RelayUrl = new Uri(Next()); break;
                case "--relay-pid": options.RelayProcessId = NextInt(); break;
                case "--api-key": options.ApiKey = Next(); break;
                case "--relay-dll": options.RelayDll = Next(); break;
                case "--results": options.ResultsFile = Next(); break;
                case "--relay-arg": options.RelayArguments.Add(Next()); break;
                case "--relay-cpu": options.RelayCpus = CpuList(Next()); break;
                default: throw new ArgumentException($"Unknown option {name}. Options: --publishers N --viewers M --bitrate-kbps K --fps F --warmup S --duration S --relay URL --relay-pid PID --api-key KEY --relay-dll PATH --results FILE --relay-arg ARG (repeatable) --relay-cpu LIST");
            }
        }

        if (options.Publishers < 1 || options.ViewersPerPublisher < 0 || options.BitrateKbps < 10 || options.FramesPerSecond is < 1 or > 120)
        {
            throw new ArgumentException("Publishers must be at least 1, viewers 0 or more, bitrate at least 10 kbps, fps 1-120.");
        }

        return options;
    }

    private static string CpuList(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c is ',' or '-')
            ? value
            : throw new ArgumentException($"--relay-cpu takes a CPU list as taskset does (0, 0-1, 0,2), not '{value}'.");
}
