namespace Relay.Protocols.Rtp;

/// <summary>How the elements of an RTP header extension block are laid out (RFC 8285 section 4).</summary>
public enum RtpExtensionForm
{
    /// <summary>The packet carries no header extension.</summary>
    None = 0,

    /// <summary>Profile 0xBEDE: a byte of 4-bit id and 4-bit length minus one per element.</summary>
    OneByte = 1,

    /// <summary>Profile 0x100X (X = app bits): an id byte and a length byte per element.</summary>
    TwoByte = 2,

    /// <summary>A profile RFC 8285 does not define; the block is opaque and has no elements we can read.</summary>
    Other = 3,
}
