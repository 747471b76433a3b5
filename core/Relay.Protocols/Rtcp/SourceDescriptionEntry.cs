namespace Relay.Protocols.Rtcp;

/// <summary>
/// One item to write in an SDES packet. <see cref="SourceDescriptionWriter"/> puts consecutive entries
/// with the same SSRC into one chunk.
/// </summary>
/// <param name="Ssrc">The source the item describes.</param>
/// <param name="Type">The item type; not <see cref="SdesItemType.End"/>.</param>
/// <param name="Value">The value, at most 255 octets (UTF-8 for text items), typically kept for the whole session.</param>
public readonly record struct SourceDescriptionEntry(uint Ssrc, SdesItemType Type, ReadOnlyMemory<byte> Value);
