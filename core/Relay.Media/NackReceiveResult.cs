namespace Relay.Media;

/// <summary>What a received packet meant to the <see cref="NackGenerator"/>.</summary>
public enum NackReceiveResult
{
    /// <summary>A new highest sequence number; any gap before it is now being requested.</summary>
    Advanced = 0,

    /// <summary>A packet that was missing arrived late (reordered, or our NACK was answered).</summary>
    Recovered = 1,

    /// <summary>Already received, or too old to have been tracked as missing.</summary>
    Duplicate = 2,

    /// <summary>
    /// A new highest sequence number after a gap too large to request in full: some packets will not
    /// be asked for, so the publisher should be asked for a keyframe.
    /// </summary>
    KeyframeNeeded = 3,
}
