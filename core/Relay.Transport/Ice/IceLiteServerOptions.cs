namespace Relay.Transport.Ice;

/// <summary>Timing of an <see cref="IceLiteServer"/>'s consent freshness (RFC 7675).</summary>
public sealed class IceLiteServerOptions
{
    /// <summary>
    /// How long a connected agent keeps consent without an authenticated check from its selected
    /// address. RFC 7675 section 5.1 sets 30 seconds; browsers send a check about every 5.
    /// </summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often all agents are swept for expired consent: the precision of <see cref="ConsentTimeout"/>.</summary>
    public TimeSpan ConsentSweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}
