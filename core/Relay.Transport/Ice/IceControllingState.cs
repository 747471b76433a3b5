namespace Relay.Transport.Ice;

/// <summary>Where an <see cref="IceControllingAgent"/> is in its life.</summary>
public enum IceControllingState
{
    /// <summary>Created; <see cref="IceControllingAgent.Start"/> not called yet.</summary>
    New = 0,

    /// <summary>Sending the nominating check and retransmitting it until a valid response comes.</summary>
    Checking = 1,

    /// <summary>A valid response came: media may flow, and consent checks keep it fresh.</summary>
    Connected = 2,

    /// <summary>No valid response to the check, an authenticated error, or consent expired. Final.</summary>
    Failed = 3,

    /// <summary>Disposed. Final.</summary>
    Closed = 4,
}
