namespace Relay.Media;

/// <summary>The codecs whose RTP payload the relay can look inside.</summary>
public enum VideoCodec
{
    /// <summary>Any other codec (or audio): payloads are not inspected.</summary>
    Other = 0,

    /// <summary>VP8 (RFC 7741).</summary>
    Vp8 = 1,

    /// <summary>H.264 (RFC 6184), packetization mode 0 or 1.</summary>
    H264 = 2,
}
