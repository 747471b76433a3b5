namespace Relay.Control.Sessions;

/// <summary>The session's SMS: its state, the provider's message id and why it failed, if it did.</summary>
/// <param name="State">Where the message is.</param>
/// <param name="ProviderMessageId">The provider's id for it, to ask for delivery status; null when not sent.</param>
/// <param name="Error">Why it failed, in words an officer can act on; null otherwise.</param>
/// <param name="SentAt">When it was handed to the provider; null when no provider was asked. Sending limits count these.</param>
public sealed record SessionSms(SessionSmsState State, string? ProviderMessageId, string? Error, DateTimeOffset? SentAt)
{
    public static SessionSms NotConfigured { get; } = new(SessionSmsState.NotConfigured, null, "No SMS provider is configured on this relay; pass the link to the caller another way.", null);

    /// <summary>The state as the API writes it: "not-configured", "queued", "sent", "delivered", "failed", "unknown".</summary>
    public static string ToText(SessionSmsState state) => state switch
    {
        SessionSmsState.NotConfigured => "not-configured",
        SessionSmsState.Queued => "queued",
        SessionSmsState.Sent => "sent",
        SessionSmsState.Delivered => "delivered",
        SessionSmsState.Failed => "failed",
        _ => "unknown",
    };

    internal static SessionSmsState Parse(string text) => text switch
    {
        "not-configured" => SessionSmsState.NotConfigured,
        "queued" => SessionSmsState.Queued,
        "sent" => SessionSmsState.Sent,
        "delivered" => SessionSmsState.Delivered,
        "failed" => SessionSmsState.Failed,
        _ => SessionSmsState.Unknown,
    };
}
