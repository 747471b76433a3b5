using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.Outbox;

/// <summary>
/// The default SMS provider: sends nothing to phones. Each message is appended as one JSON line to the
/// outbox file, which the portal and tests read with <see cref="OutboxReader"/>; the host logs each send.
/// </summary>
public sealed class OutboxSmsPlugin : ISmsPlugin
{
    public const string Name = "outbox";

    public PluginDescription Description { get; } = new(
        Name,
        typeof(OutboxSmsPlugin).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        "Writes each text message to a local outbox file instead of sending it (development, tests, and systems with no SMS provider).",
        [
            new PluginSetting(OutboxReader.PathSetting, $"The outbox file (JSON lines); relative paths are under the data directory. Default {OutboxReader.DefaultFileName}.", Required: false, Secret: false),
            new PluginSetting(OutboxReader.DataDirectorySetting, "The host's data directory (given by the host).", Required: false, Secret: false),
        ]);

    public ISmsSender CreateSender(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        return new OutboxSmsSender(OutboxReader.ResolvePath(settings), time);
    }
}
