namespace Relay.Protocols.Rtp;

/// <summary>One header extension element: its local id and a view of its data inside the packet.</summary>
public readonly ref struct RtpExtensionElement
{
    public RtpExtensionElement(byte id, ReadOnlySpan<byte> data)
    {
        Id = id;
        Data = data;
    }

    /// <summary>The local identifier negotiated in SDP (extmap), 1-14 or 1-255 by form.</summary>
    public byte Id { get; }

    /// <summary>The element's data; empty only in the two-byte form.</summary>
    public ReadOnlySpan<byte> Data { get; }
}
