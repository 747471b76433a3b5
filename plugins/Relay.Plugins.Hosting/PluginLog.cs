using Microsoft.Extensions.Logging;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Hosting;

/// <summary>Everything the plugin host logs. Secret settings' values never reach these messages.</summary>
internal static partial class PluginLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Plugin {Name} {Version} loaded from {AssemblyPath} into context {Context}")]
    public static partial void Loaded(ILogger logger, string name, string version, string assemblyPath, string? context);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Plugin in {Source} not loaded: {Reason}")]
    public static partial void NotLoaded(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "No plugins folder at {Directory}: no plugins are loaded")]
    public static partial void NoPluginsFolder(ILogger logger, string directory);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "SMS provider {Provider} {Version} in use; settings: {Settings}")]
    public static partial void SmsProviderInUse(ILogger logger, string provider, string version, string settings);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "SMS provider {Provider} cannot be used, so no SMS will be sent: {Reason}")]
    public static partial void SmsProviderUnavailable(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "SMS {Reference} to {To} accepted by {Provider} as {ProviderMessageId} ({State})")]
    public static partial void SmsAccepted(ILogger logger, string reference, string to, string provider, string? providerMessageId, SmsDeliveryState state);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "SMS {Reference} to {To} refused by {Provider} (retryable: {Retryable}): {Error}")]
    public static partial void SmsRefused(ILogger logger, string reference, string to, string provider, bool retryable, string? error);

    [LoggerMessage(EventId = 507, Level = LogLevel.Error, Message = "SMS provider {Provider} threw from {Operation}: {Error}")]
    public static partial void SmsProviderThrew(ILogger logger, string provider, string operation, string error);
}
