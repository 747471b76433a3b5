namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>What view.html's <c>window.relayStats()</c> reports: the inbound-rtp video figures of getStats.</summary>
public sealed record ViewerStats
{
    public long FramesDecoded { get; init; }

    public long PacketsLost { get; init; }

    public long NackCount { get; init; }

    public double FramesPerSecond { get; init; }

    public long PacketsReceived { get; init; }

    /// <summary>The codec's MIME type, e.g. video/VP8.</summary>
    public string? Codec { get; init; }

    public string? ConnectionState { get; init; }

    /// <summary>From sending the WHEP offer to the first frame shown; null before it.</summary>
    public double? TimeToFirstFrameMs { get; init; }

    /// <summary>JSON of milliseconds from the start to each step (gathered, answered, connected, track, firstFrame).</summary>
    public string? Timings { get; init; }
}
