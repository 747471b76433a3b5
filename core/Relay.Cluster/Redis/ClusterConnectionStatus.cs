namespace Relay.Cluster.Redis;

/// <summary>The state of the connection to the cluster's Redis.</summary>
/// <param name="Redis">Where Redis is (the configured <c>host:port</c>).</param>
/// <param name="Connected">Whether it answered the last time it was used.</param>
/// <param name="Since">When it last became connected or unreachable.</param>
/// <param name="Problem">Why it is unreachable, in words; null while connected.</param>
public sealed record ClusterConnectionStatus(string Redis, bool Connected, DateTimeOffset Since, string? Problem);
