namespace Relay.Control.Chat;

/// <summary>One chat message of a session.</summary>
/// <param name="From">Caller or officer.</param>
/// <param name="Author">The officer's name (API key name or user), or null for the caller.</param>
/// <param name="Text">Checked by <see cref="ChatText"/>.</param>
/// <param name="Time">When the relay received it.</param>
public sealed record ChatMessage(ChatSender From, string? Author, string Text, DateTimeOffset Time);
