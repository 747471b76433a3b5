namespace Relay.Control.Sdp;

/// <summary>
/// An SDP session description (RFC 8866): the session-level lines and the media descriptions in
/// order. Built by <see cref="SdpParser"/> from an offer and by the negotiator for an answer;
/// written by <see cref="SdpWriter"/>.
/// </summary>
public sealed class SessionDescription
{
    public required SdpOrigin Origin { get; init; }

    /// <summary>The <c>s=</c> line; WebRTC writes <c>-</c>.</summary>
    public string SessionName { get; init; } = "-";

    /// <summary>The session-level <c>i=</c> line.</summary>
    public string? Information { get; init; }

    /// <summary>The <c>u=</c> line.</summary>
    public string? Uri { get; init; }

    /// <summary>The <c>e=</c> lines.</summary>
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];

    /// <summary>The <c>p=</c> lines.</summary>
    public IReadOnlyList<string> PhoneNumbers { get; init; } = [];

    /// <summary>The session-level <c>c=</c> line, the default for media without their own.</summary>
    public SdpConnection? Connection { get; init; }

    public IReadOnlyList<SdpBandwidth> Bandwidths { get; init; } = [];

    /// <summary>The <c>t=</c> lines (at least one), each with its <c>r=</c> lines.</summary>
    public IReadOnlyList<SdpTiming> Timings { get; init; } = [SdpTiming.Unbounded];

    /// <summary>The <c>z=</c> line, as written.</summary>
    public string? TimeZoneAdjustments { get; init; }

    /// <summary>Session-level attributes, in order.</summary>
    public IReadOnlyList<SdpAttributeLine> Attributes { get; init; } = [];

    /// <summary>The <c>m=</c> sections, in order; their index is the m-line index.</summary>
    public IReadOnlyList<MediaDescription> MediaDescriptions { get; init; } = [];

    /// <summary>The first session-level attribute called <paramref name="name"/>, or null.</summary>
    public SdpAttributeLine? FindAttribute(string name) => SdpAttributeLookup.Find(Attributes, name);

    /// <summary>Every session-level attribute called <paramref name="name"/>, in order.</summary>
    public IEnumerable<SdpAttributeLine> FindAttributes(string name) => SdpAttributeLookup.FindAll(Attributes, name);

    public bool HasAttribute(string name) => FindAttribute(name) is not null;
}
