namespace Relay.Protocols.Rtcp;

/// <summary>SDES item types (RFC 3550 sections 6.5.1 to 6.5.8).</summary>
public enum SdesItemType : byte
{
    /// <summary>Ends a chunk's item list; never an item itself.</summary>
    End = 0,

    /// <summary>Canonical end-point identifier: ties a participant's streams together (RFC 7022 for choosing one).</summary>
    Cname = 1,

    Name = 2,

    Email = 3,

    Phone = 4,

    Location = 5,

    Tool = 6,

    Note = 7,

    /// <summary>Private extension: prefix length, prefix and value inside the item's value.</summary>
    Private = 8,
}
