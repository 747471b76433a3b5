namespace Relay.Protocols.Rtcp;

/// <summary>One SDES item: its type and its value (up to 255 octets, UTF-8 text for the standard types).</summary>
public readonly ref struct SourceDescriptionItem
{
    internal SourceDescriptionItem(SdesItemType type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public SdesItemType Type { get; }

    /// <summary>The value octets, without the type and length octets. For <see cref="SdesItemType.Private"/> this
    /// still holds the prefix length and prefix.</summary>
    public ReadOnlySpan<byte> Value { get; }
}
