namespace Relay.Media;

/// <summary>What <see cref="PacketCache.Add(Relay.Protocols.Buffers.PacketLease)"/> did with a packet.</summary>
public enum PacketCacheAddResult
{
    /// <summary>The cache retained the packet.</summary>
    Added = 0,

    /// <summary>A packet with this sequence number is already held; the first copy is kept.</summary>
    Duplicate = 1,

    /// <summary>The packet is older than the window the cache holds; it was not retained.</summary>
    TooOld = 2,

    /// <summary>The buffer does not hold a readable RTP header; it was not retained.</summary>
    NotRtp = 3,
}
