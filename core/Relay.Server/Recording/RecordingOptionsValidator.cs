using Microsoft.Extensions.Options;

namespace Relay.Server.Recording;

/// <summary>Checks <see cref="RecordingOptions"/> at start, naming the setting and what it accepts.</summary>
internal sealed class RecordingOptionsValidator : IValidateOptions<RecordingOptions>
{
    private const string Section = RecordingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{Section}:Directory is empty; give the folder recordings are kept in.");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            failures.Add($"{Section}:SigningKeyPath is empty; give the PEM file of the node's evidence key (made if missing).");
        }

        if (options.SegmentDuration <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:SegmentDuration is {options.SegmentDuration}; give a positive time span such as 00:00:10.");
        }

        if (options.SegmentMaxBytes < 64 * 1024)
        {
            failures.Add($"{Section}:SegmentMaxBytes is {options.SegmentMaxBytes}; give at least 65536.");
        }

        if (options.HighWaterBytes < 64 * 1024)
        {
            failures.Add($"{Section}:HighWaterBytes is {options.HighWaterBytes}; give at least 65536.");
        }

        if (options.OsFlushInterval < TimeSpan.Zero)
        {
            failures.Add($"{Section}:OsFlushInterval is {options.OsFlushInterval}; give zero or a positive time span such as 00:00:00.250.");
        }

        if (options.SegmentPreallocationBytes < 0)
        {
            failures.Add($"{Section}:SegmentPreallocationBytes is {options.SegmentPreallocationBytes}; give zero (none) or a size in bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
