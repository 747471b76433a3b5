namespace Relay.Testing.Recording.Packetization;

/// <summary>One stream as ffprobe read it: its codec, picture size, frames counted and start time (seconds).</summary>
public sealed record ProbeStream(string CodecName, string CodecType, int Width, int Height, int Frames, double StartTime);
