using System.Diagnostics.CodeAnalysis;

namespace Relay.Protocols.Stun;

/// <summary>
/// One attribute of a STUN message: its type and its value without padding (RFC 8489 section 14).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Length counts the value before padding; the value is padded to a multiple of 4 bytes.
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "An attribute in the STUN sense (RFC 8489 section 14), not a .NET attribute.")]
public readonly ref struct StunAttribute
{
    internal StunAttribute(StunAttributeType type, int offset, ReadOnlySpan<byte> value)
    {
        Type = type;
        Offset = offset;
        Value = value;
    }

    public StunAttributeType Type { get; }

    /// <summary>Where the attribute's header starts in the message.</summary>
    public int Offset { get; }

    /// <summary>The value, without padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Whether a receiver that does not know the type must reject the message (types below 0x8000).</summary>
    public bool IsComprehensionRequired => IsComprehensionRequiredType(Type);

    internal static bool IsComprehensionRequiredType(StunAttributeType type) => (ushort)type < 0x8000;
}
