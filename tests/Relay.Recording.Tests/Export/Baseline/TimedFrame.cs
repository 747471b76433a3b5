namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>A frame placed on the export's time axis: microseconds from the start of the file.</summary>
internal readonly record struct TimedFrame(long TimeMicroseconds, bool IsKeyframe, ReadOnlyMemory<byte> Data);
