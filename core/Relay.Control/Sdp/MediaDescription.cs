namespace Relay.Control.Sdp;

/// <summary>
/// One media description (RFC 8866 section 5.14): the <c>m=</c> line and the <c>i=</c>, <c>c=</c>,
/// <c>b=</c> and <c>a=</c> lines under it.
/// <c>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c>
/// </summary>
public sealed class MediaDescription
{
    /// <summary><c>audio</c>, <c>video</c>, <c>application</c>, ...</summary>
    public required string MediaType { get; init; }

    /// <summary>The port; 0 rejects or disables the section (RFC 3264 section 6).</summary>
    public required int Port { get; init; }

    /// <summary>The optional <c>/&lt;number of ports&gt;</c> after the port.</summary>
    public int? PortCount { get; init; }

    /// <summary>The transport protocol, e.g. <c>UDP/TLS/RTP/SAVPF</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The formats: RTP payload types as written, or e.g. <c>webrtc-datachannel</c>.</summary>
    public required IReadOnlyList<string> Formats { get; init; }

    /// <summary>The media-level <c>i=</c> line.</summary>
    public string? Information { get; init; }

    public IReadOnlyList<SdpConnection> Connections { get; init; } = [];

    public IReadOnlyList<SdpBandwidth> Bandwidths { get; init; } = [];

    /// <summary>Media-level attributes, in order.</summary>
    public IReadOnlyList<SdpAttributeLine> Attributes { get; init; } = [];

    /// <summary>The first media-level attribute called <paramref name="name"/>, or null.</summary>
    public SdpAttributeLine? FindAttribute(string name) => SdpAttributeLookup.Find(Attributes, name);

    /// <summary>Every media-level attribute called <paramref name="name"/>, in order.</summary>
    public IEnumerable<SdpAttributeLine> FindAttributes(string name) => SdpAttributeLookup.FindAll(Attributes, name);

    public bool HasAttribute(string name) => FindAttribute(name) is not null;
}
