namespace Relay.Control.Sdp;

/// <summary>
/// One <c>a=</c> line (RFC 8866 section 5.13): a property attribute (<c>a=rtcp-mux</c>, no value)
/// or a value attribute (<c>a=mid:0</c>). The value is kept as written; the typed attribute readers
/// (<see cref="SdpRtpMap"/> and the others) interpret it.
/// </summary>
public sealed record SdpAttributeLine(string Name, string? Value = null)
{
    /// <summary>The text after <c>a=</c>.</summary>
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
