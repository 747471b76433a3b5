using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Hosting.Sms;

/// <summary>
/// The host's side of a plugin's sender: logs every send (number masked, body never: it carries the
/// caller's link), turns anything the plugin throws into a refusal or an unknown state, and keeps the
/// plugin's <see cref="LoadedPlugin.Health"/> current.
/// </summary>
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A plugin's failure is reported to the caller of ISmsSender, never thrown into the host.")]
internal sealed class GuardedSmsSender(ISmsSender inner, LoadedPlugin plugin, SecretRedactor secrets, ILogger logger) : ISmsSender, IDisposable
{
    public ISmsSender Inner { get; } = inner;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        SmsSendResult result;
        try
        {
            result = await Inner.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            string error = Threw(nameof(SendAsync), e);
            result = SmsSendResult.Refused($"The SMS provider '{plugin.Name}' failed ({error}). Try again; if it keeps failing, an engineer should check the relay's log.", retryable: true);
        }

        string to = MaskNumber(message.To);
        if (result.Accepted)
        {
            PluginLog.SmsAccepted(logger, message.Reference, to, plugin.Name, result.ProviderMessageId, result.State);
        }
        else
        {
            PluginLog.SmsRefused(logger, message.Reference, to, plugin.Name, result.Retryable, result.Error is null ? null : secrets.Redact(result.Error));
        }

        return result;
    }

    public async Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        try
        {
            return await Inner.GetDeliveryStatusAsync(providerMessageId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return new SmsDeliveryReport(SmsDeliveryState.Unknown, $"The SMS provider '{plugin.Name}' failed to say ({Threw(nameof(GetDeliveryStatusAsync), e)}).", null);
        }
    }

    public async Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        PluginHealth health;
        try
        {
            health = await Inner.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            health = PluginHealth.Failing($"The health check of SMS provider '{plugin.Name}' failed ({Threw(nameof(CheckHealthAsync), e)}).");
        }

        plugin.Health = health;
        return health;
    }

    public void Dispose() => (Inner as IDisposable)?.Dispose();

    /// <summary>"+44*******123": enough to tell messages apart in a log without recording the caller's number.</summary>
    internal static string MaskNumber(string number)
    {
        if (number.Length <= 6)
        {
            return new string('*', number.Length);
        }

        int keepStart = number.StartsWith('+') ? 3 : 2;
        return string.Concat(number.AsSpan(0, keepStart), new string('*', number.Length - keepStart - 3), number.AsSpan(number.Length - 3));
    }

    private string Threw(string operation, Exception e)
    {
        string error = secrets.Redact($"{e.GetType().Name}: {e.Message}");
        PluginLog.SmsProviderThrew(logger, plugin.Name, operation, error);
        return error;
    }
}
