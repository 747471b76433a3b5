namespace Relay.Control.Chat;

/// <summary>Who wrote a chat message.</summary>
public enum ChatSender
{
    Caller,
    Officer,
}
