namespace Relay.Media.Streams;

/// <summary>The codecs a published track can carry.</summary>
public enum MediaCodec
{
    Vp8 = 0,
    H264 = 1,
    Opus = 2,
}
