namespace Relay.Media;

/// <summary>What <see cref="KeyframeGate.Process"/> says to do with a packet.</summary>
public enum KeyframeGateResult
{
    /// <summary>Send the packet on to the subscriber.</summary>
    Forward = 0,

    /// <summary>Drop the packet: the subscriber is waiting for a keyframe.</summary>
    Drop = 1,

    /// <summary>Drop the packet and ask the publisher for a keyframe (through the <see cref="KeyframeRequestCoalescer"/>).</summary>
    DropAndRequestKeyframe = 2,
}
