namespace Relay.Transport.Ice;

/// <summary>
/// Timing of an <see cref="IceControllingAgent"/>: a simplified RFC 8445 schedule for the one pair it
/// checks, and RFC 7675 consent.
/// </summary>
public sealed class IceControllingAgentOptions
{
    /// <summary>Wait before the first retransmission of the connectivity check.</summary>
    public TimeSpan InitialRetransmitInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The retransmission wait grows by half each time up to this.</summary>
    public TimeSpan MaxRetransmitInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Sends of the connectivity check, first included, before the agent gives up (about 2.8 s with the defaults).</summary>
    public int MaxCheckSends { get; set; } = 30;

    /// <summary>The basic period of consent checks, randomised to 0.8-1.2 times itself (RFC 7675 section 5.1).</summary>
    public TimeSpan ConsentInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consent expires this long after the last valid response (RFC 7675 section 5.1).</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the connectivity check carries USE-CANDIDATE, as a controlling agent facing ICE-lite does.</summary>
    public bool Nominate { get; set; } = true;
}
