namespace Relay.Plugins.Sms.Outbox;

/// <summary>One message in the outbox: a line of the file, <c>{"id","at","to","body","reference"}</c>.</summary>
/// <param name="Id">The outbox's id for it (the provider message id the sender returned).</param>
/// <param name="At">When it was written (UTC).</param>
/// <param name="To">The destination, E.164.</param>
/// <param name="Body">The text, with the caller's link.</param>
/// <param name="Reference">Relay's reference for it (the session's id).</param>
public sealed record OutboxEntry(string Id, DateTimeOffset At, string To, string Body, string Reference);
