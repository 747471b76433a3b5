namespace Relay.Control.Sessions;

/// <summary>Where the session's SMS (the caller's link) is, as far as the relay knows.</summary>
public enum SessionSmsState
{
    /// <summary>No SMS provider is configured on this node: the officer passes the link on another way.</summary>
    NotConfigured,

    /// <summary>The provider took the message and has it queued.</summary>
    Queued,

    /// <summary>The provider has sent it on to the network.</summary>
    Sent,

    /// <summary>The network says the phone received it.</summary>
    Delivered,

    /// <summary>The provider refused it or could not deliver it; <see cref="SessionSms.Error"/> says why.</summary>
    Failed,

    /// <summary>The provider took it and says nothing more.</summary>
    Unknown,
}
