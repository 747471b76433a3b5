using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Hosting.Sms;

/// <summary>Stands in for an SMS provider that could not be set up: every send is refused with the reason, so the host still starts.</summary>
internal sealed class UnavailableSmsSender(string reason) : ISmsSender
{
    public string Reason { get; } = reason;

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(SmsSendResult.Refused("SMS cannot be sent from this relay: " + Reason, retryable: false));

    public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(new SmsDeliveryReport(SmsDeliveryState.Unknown, Reason, null));

    public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(PluginHealth.Failing(Reason));
}
