namespace Relay.Plugins.Abstractions.Sms;

/// <summary>A provider's answer to "where is this message?".</summary>
/// <param name="State">The delivery state.</param>
/// <param name="Detail">The provider's words for it (error code and text when it failed), or null.</param>
/// <param name="At">When the provider says the state was reached, if it says.</param>
public sealed record SmsDeliveryReport(SmsDeliveryState State, string? Detail, DateTimeOffset? At);
