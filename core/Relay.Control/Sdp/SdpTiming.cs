using System.Globalization;

namespace Relay.Control.Sdp;

/// <summary>
/// A <c>t=</c> line with the <c>r=</c> lines that follow it (RFC 8866 sections 5.9 and 5.10).
/// WebRTC always writes <c>t=0 0</c>, an unbounded session.
/// </summary>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    /// <summary><c>t=0 0</c>.</summary>
    public static SdpTiming Unbounded { get; } = new(0, 0);

    /// <summary>The values of the <c>r=</c> lines, as written.</summary>
    public IReadOnlyList<string> RepeatTimes { get; init; } = [];

    public override string ToString() =>
        Start.ToString(CultureInfo.InvariantCulture) + " " + Stop.ToString(CultureInfo.InvariantCulture);
}
