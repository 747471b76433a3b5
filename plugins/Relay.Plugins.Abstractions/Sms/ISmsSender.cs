namespace Relay.Plugins.Abstractions.Sms;

/// <summary>Sends one text message through a provider. Implementations are thread-safe.</summary>
public interface ISmsSender
{
    /// <summary>Hands the message to the provider. Provider refusals come back as a result, not an exception.</summary>
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);

    /// <summary>The provider's latest delivery state for a message it accepted.</summary>
    Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken);

    /// <summary>Whether the provider can be reached and the credentials are accepted, without sending anything.</summary>
    Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken);
}
