namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>What a store holds for one object.</summary>
/// <param name="Key">The object's key.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its bytes as the store recorded it, or null when the store does not know it.</param>
/// <param name="LegalHold">Whether its recording is under legal hold (it cannot be deleted).</param>
/// <param name="StoredAt">When the store wrote it, if known.</param>
public sealed record EvidenceObjectInfo(EvidenceObjectKey Key, long Size, string? Sha256, bool LegalHold, DateTimeOffset? StoredAt);
