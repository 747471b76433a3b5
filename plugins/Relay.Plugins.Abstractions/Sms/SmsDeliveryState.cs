namespace Relay.Plugins.Abstractions.Sms;

/// <summary>Where a message is on its way to the phone, as far as the provider says.</summary>
public enum SmsDeliveryState
{
    Unknown,
    Queued,
    Sent,
    Delivered,
    Failed,
}
