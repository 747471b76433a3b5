namespace Relay.Recording;

/// <summary>What a recorded packet is.</summary>
public enum RecordedPacketKind : byte
{
    /// <summary>An RTP packet from the publisher, decrypted (header and payload as received).</summary>
    Rtp = 1,

    /// <summary>An RTCP packet from the publisher, decrypted (sender reports: the clock mapping for sync).</summary>
    Rtcp = 2,
}
