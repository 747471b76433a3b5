using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Hosting.Sms;

/// <summary>The sender registered in DI: disposes the HttpClient the host made for the provider when the container is disposed.</summary>
internal sealed class HttpClientOwningSmsSender(ISmsSender inner, HttpClient http) : ISmsSender, IDisposable
{
    public ISmsSender Inner { get; } = inner;

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) => Inner.SendAsync(message, cancellationToken);

    public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken) => Inner.GetDeliveryStatusAsync(providerMessageId, cancellationToken);

    public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => Inner.CheckHealthAsync(cancellationToken);

    public void Dispose()
    {
        (Inner as IDisposable)?.Dispose();
        http.Dispose();
    }
}
