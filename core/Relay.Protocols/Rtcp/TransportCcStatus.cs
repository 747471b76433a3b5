namespace Relay.Protocols.Rtcp;

/// <summary>
/// Packet status symbols of transport-wide CC feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// section 3.1.1). The value is also the size in bytes of the packet's receive delta.
/// </summary>
/// <remarks>
/// The draft reserves symbol 3; libwebrtc rejects feedback that uses it, and so does
/// <see cref="TransportCcFeedback.TryRead"/>.
/// </remarks>
public enum TransportCcStatus : byte
{
    /// <summary>00: not received (no receive delta).</summary>
    NotReceived = 0,

    /// <summary>01: received, with a 1-byte delta of 0 to 63.75 ms.</summary>
    ReceivedSmallDelta = 1,

    /// <summary>10: received, with a 2-byte signed delta (negative, or beyond 63.75 ms).</summary>
    ReceivedLargeDelta = 2,
}
