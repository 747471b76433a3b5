namespace Relay.Plugins.Abstractions.Sms;

/// <summary>One text message. It carries the caller's link and no personal data.</summary>
/// <param name="To">The destination in E.164 (+447700900123).</param>
/// <param name="Body">The text.</param>
/// <param name="Reference">Relay's id for the message (the session's), for the provider's records and correlation.</param>
public sealed record SmsMessage(string To, string Body, string Reference);
