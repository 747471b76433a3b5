namespace Relay.Media;

/// <summary>A keyframe request to send to the publisher now, or none (<see cref="ShouldSend"/> false).</summary>
public readonly struct KeyframeRequest
{
    internal KeyframeRequest(KeyframeRequestKind kind, byte firSequenceNumber)
    {
        ShouldSend = true;
        Kind = kind;
        FirSequenceNumber = firSequenceNumber;
    }

    /// <summary>No request to send.</summary>
    public static KeyframeRequest None => default;

    /// <summary>Whether a request should be sent to the publisher now.</summary>
    public bool ShouldSend { get; }

    /// <summary>Which feedback to send.</summary>
    public KeyframeRequestKind Kind { get; }

    /// <summary>For a FIR, the command sequence number to put in its FCI entry (RFC 5104 section 4.3.1.1).</summary>
    public byte FirSequenceNumber { get; }
}
