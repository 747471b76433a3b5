namespace Relay.Media;

/// <summary>Whether an RTP packet begins a keyframe, as far as its payload can tell.</summary>
public enum KeyframeStatus
{
    /// <summary>The codec's payloads are not inspected; nothing can be said.</summary>
    Unknown = 0,

    /// <summary>The packet does not begin a keyframe (or its payload is malformed).</summary>
    NotKeyframeStart = 1,

    /// <summary>The packet is the first of a keyframe: a decoder can start here.</summary>
    KeyframeStart = 2,
}
