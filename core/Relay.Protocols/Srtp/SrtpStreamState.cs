namespace Relay.Protocols.Srtp;

/// <summary>
/// What a session remembers about one SSRC (RFC 3711 section 3.2.3): the SRTP index (rollover counter
/// and highest sequence number) with its replay window, and the SRTCP index with its own.
/// </summary>
internal struct SrtpStreamState
{
    /// <summary>SRTP indices: ROC * 2^16 + SEQ.</summary>
    public SrtpReplayWindow Rtp;

    /// <summary>SRTCP indices (31 bits).</summary>
    public SrtpReplayWindow Rtcp;

    /// <summary>The rollover counter to assume for the first SRTP packet (signalled out of band; zero by default).</summary>
    public uint InitialRolloverCounter;

    /// <summary>The current rollover counter: the highest index's upper 32 bits, or the initial one before any packet.</summary>
    public readonly uint RolloverCounter => Rtp.IsStarted ? (uint)(Rtp.Highest >> 16) : InitialRolloverCounter;
}
