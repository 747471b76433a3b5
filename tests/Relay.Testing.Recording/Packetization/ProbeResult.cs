namespace Relay.Testing.Recording.Packetization;

/// <summary>A file as ffprobe read it: its format, duration (seconds) and streams.</summary>
public sealed record ProbeResult(string FormatName, double Duration, IReadOnlyList<ProbeStream> Streams)
{
    /// <summary>The file's one stream of <paramref name="codecType"/> ("video", "audio").</summary>
    public ProbeStream Stream(string codecType) => Streams.Single(s => s.CodecType == codecType);
}
