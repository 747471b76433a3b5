namespace Relay.Recording.Export;

/// <summary>The playable file an export writes.</summary>
public enum ExportContainer
{
    /// <summary>WebM (Matroska): VP8 video, Opus audio.</summary>
    WebM = 0,

    /// <summary>MP4 (ISO BMFF): H.264 video, Opus audio.</summary>
    Mp4 = 1,
}
