namespace Relay.Plugins.Abstractions.Sms;

/// <summary>What the provider said to a send.</summary>
/// <param name="Accepted">Whether the provider took the message.</param>
/// <param name="ProviderMessageId">The provider's id for it, to ask for delivery status; null if refused.</param>
/// <param name="State">Its state as of the answer.</param>
/// <param name="Error">When refused: why, in words an officer can act on (the provider's code and message included).</param>
/// <param name="Retryable">When refused: whether the same send may work later (rate limit, outage) rather than never (bad number, bad credentials).</param>
public sealed record SmsSendResult(bool Accepted, string? ProviderMessageId, SmsDeliveryState State, string? Error, bool Retryable)
{
    public static SmsSendResult Sent(string providerMessageId, SmsDeliveryState state) => new(true, providerMessageId, state, null, false);

    public static SmsSendResult Refused(string error, bool retryable) => new(false, null, SmsDeliveryState.Failed, error, retryable);
}
