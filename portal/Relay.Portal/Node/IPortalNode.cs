namespace Relay.Portal.Node;

/// <summary>This node as an engineer sees it, provided by the relay host: its counters and its plugins.</summary>
public interface IPortalNode
{
    /// <summary>The node's counters now (cumulative counters grow; the portal turns two readings into rates).</summary>
    NodeReading Read();

    /// <summary>The plugins loaded and those that failed; never a setting's value.</summary>
    IReadOnlyList<PluginStatus> Plugins();
}

/// <summary>One reading of this node's counters.</summary>
/// <param name="At">When it was read.</param>
/// <param name="RtpPacketsIn">SRTP packets received from publishers since start (cumulative).</param>
/// <param name="RtpPacketsOut">SRTP packets sent to viewers since start (cumulative).</param>
/// <param name="PacketsDropped">
/// Packets the relay dropped since start (cumulative): refused by SRTP or SRTCP, arriving before keys or after a peer
/// ended, not sendable, or dropped by a stream. The relay's own loss, as against the loss viewers report with NACKs.
/// </param>
public sealed record NodeReading(
    DateTimeOffset At,
    string Name,
    bool MediaPortUp,
    int OpenSessions,
    int Streams,
    int Viewers,
    int Peers,
    long RtpPacketsIn,
    long RtpPacketsOut,
    long NacksReceived,
    long Retransmissions,
    long WorkingSetBytes,
    TimeSpan CpuTime,
    long PacketsDropped = 0);

/// <summary>A plugin: its name, version, what it does, its health, and its settings' names (secrets marked, values never shown).</summary>
/// <param name="Loaded">False for a plugin that failed to load (then <see cref="Health"/> says why).</param>
public sealed record PluginStatus(
    string Name,
    string Version,
    string Summary,
    bool Loaded,
    bool Healthy,
    string Health,
    IReadOnlyList<PluginSettingStatus> Settings);

/// <summary>A plugin setting's name and whether it is secret (write-only: its value is never shown).</summary>
public sealed record PluginSettingStatus(string Key, string Description, bool Required, bool Secret);
