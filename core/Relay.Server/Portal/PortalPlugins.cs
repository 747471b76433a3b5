using System.Globalization;
using Relay.Control.Audit;
using Relay.Control.Sessions;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting;
using Relay.Plugins.Hosting.Sms;
using Relay.Portal.Node;
using Relay.Server.Audit;
using Relay.Server.Evidence.Store;

namespace Relay.Server.Portal;

/// <summary>
/// The Plugins page's actions on the plugins this node uses: the SMS provider (<c>Relay:Sms:Provider</c>) and the
/// evidence store (<c>Relay:Evidence:Store:Plugin</c>). A plugin that is loaded but not in use has no settings to
/// check or send with. Every check and test send is audited, the number masked as for a caller's SMS.
/// </summary>
internal sealed class PortalPlugins(IServiceProvider services, IConfiguration configuration, IAuditLog audit, TimeProvider time) : IPortalPlugins
{
    public const string HealthCheckAction = AuditActions.PluginHealthCheck;
    public const string TestSendAction = AuditActions.PluginTestSend;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public PluginAbilities AbilitiesOf(string plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        bool sms = IsSmsProvider(plugin);
        return new PluginAbilities(sms || IsEvidenceStore(plugin), sms);
    }

    public async Task<PluginCheck> CheckHealthAsync(string plugin, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(actor);
        PluginHealth health;
        if (IsSmsProvider(plugin))
        {
            health = await CheckAsync(token => services.GetRequiredService<ISmsSender>().CheckHealthAsync(token), cancellationToken).ConfigureAwait(false);
        }
        else if (IsEvidenceStore(plugin))
        {
            health = await CheckAsync(token => services.GetRequiredService<IEvidenceStore>().CheckHealthAsync(token), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return new PluginCheck(false, $"'{plugin}' is not in use on this node (neither the SMS provider nor the evidence store), so it has no settings to check.");
        }

        await audit.AppendAsync(
            new AuditEntry(HealthCheckAction, actor, "plugin:" + plugin, "health check from the Plugins page", null, new Dictionary<string, string>
            {
                ["healthy"] = health.Healthy ? "true" : "false",
                ["detail"] = health.Detail,
            }),
            cancellationToken).ConfigureAwait(false);
        string when = time.GetUtcNow().UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return health.Healthy
            ? new PluginCheck(true, $"Healthy at {when} UTC: {health.Detail}")
            : new PluginCheck(false, $"Failing at {when} UTC: {health.Detail}");
    }

    public async Task<PluginCheck> TestSendAsync(string plugin, string phone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsSmsProvider(plugin))
        {
            return new PluginCheck(false, $"'{plugin}' is not the SMS provider in use ({SmsConfiguration.GetProvider(configuration)}); only that one can send.");
        }

        if (!PhoneNumber.TryParse(phone?.Trim(), out PhoneNumber? number))
        {
            return new PluginCheck(false, $"'{phone}' is not a mobile number in E.164 form: '+', the country code, then the number, no spaces (e.g. +447700900123). Nothing was sent.");
        }

        string reference = "test-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var message = new SmsMessage(number.Value, "Relay test message: the SMS provider works. No action is needed.", reference);
        SmsSendResult result;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(s_timeout);
            try
            {
                result = await services.GetRequiredService<ISmsSender>().SendAsync(message, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = SmsSendResult.Refused($"The provider did not answer within {s_timeout.TotalSeconds:F0} seconds.", retryable: true);
            }
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["accepted"] = result.Accepted ? "true" : "false",
            ["state"] = result.State.ToString().ToLowerInvariant(),
            ["reference"] = reference,
        };
        if (result.ProviderMessageId is { } id)
        {
            details["provider-message-id"] = id;
        }

        if (result.Error is { } error)
        {
            details["error"] = error;
        }

        await audit.AppendAsync(new AuditEntry(TestSendAction, actor, "plugin:" + plugin, "test send from the Plugins page", AuditTrail.MaskPhone(number.Value), details), cancellationToken).ConfigureAwait(false);
        string to = AuditTrail.MaskPhone(number.Value);
        if (result.Accepted)
        {
            return new PluginCheck(true, $"Sent: {plugin} accepted the test message to {to} (its id {result.ProviderMessageId}, state {result.State.ToString().ToLowerInvariant()}). Check that the phone receives it.");
        }

        return new PluginCheck(false, $"Not sent: {plugin} refused the test message to {to}. {result.Error} {(result.Retryable ? "This may work if tried again later." : "Trying again will not help until this is fixed.")}");
    }

    private bool IsSmsProvider(string plugin) =>
        string.Equals(plugin, SmsConfiguration.GetProvider(configuration), StringComparison.OrdinalIgnoreCase)
        && services.GetRequiredService<PluginCatalog>().Find(plugin)?.Instance is ISmsPlugin;

    private bool IsEvidenceStore(string plugin) =>
        string.Equals(plugin, EvidenceStoreConfiguration.GetPlugin(configuration), StringComparison.OrdinalIgnoreCase)
        && services.GetRequiredService<PluginCatalog>().Find(plugin)?.Instance is IEvidenceStorePlugin;

    private static async Task<PluginHealth> CheckAsync(Func<CancellationToken, Task<PluginHealth>> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            return await check(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PluginHealth.Failing($"The plugin did not answer within {s_timeout.TotalSeconds:F0} seconds.");
        }
    }
}
