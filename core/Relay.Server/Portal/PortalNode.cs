using System.Diagnostics;
using Relay.Control.Sessions;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Hosting;
using Relay.Portal.Node;
using Relay.Server.Media;
using Relay.Server.Metrics;

namespace Relay.Server.Portal;

/// <summary>This node's counters and plugins for the portal, read from the same sources as <c>/metrics</c>.</summary>
internal sealed class PortalNode(MediaNode node, ISessionStore sessions, IStreamMetricsSource streams, PluginCatalog plugins, TimeProvider time) : IPortalNode
{
    public NodeReading Read()
    {
        PeerTotals totals = node.GetPeerTotals();
        using Process self = Process.GetCurrentProcess();
        return new NodeReading(
            time.GetUtcNow(),
            Environment.MachineName,
            node.IsRunning,
            sessions.CountOpen(),
            streams.StreamCount,
            streams.ViewerCount,
            node.PeerCount,
            totals.RtpPacketsIn,
            totals.RtpPacketsOut,
            streams.NacksReceived,
            streams.RetransmissionsSent,
            self.WorkingSet64,
            self.TotalProcessorTime,
            Dropped(totals, streams.Snapshot()));
    }

    /// <summary>Every packet the relay dropped, summed over the reasons <c>relay_packets_dropped</c> gives for peers and streams.</summary>
    internal static long Dropped(PeerTotals peers, StreamMetricsSnapshot streams)
    {
        long dropped = peers.DroppedBeforeKeys + peers.DroppedAfterEnd + peers.DroppedUnknown + peers.SendFailures;
        foreach (long value in peers.RtpDrops)
        {
            dropped += value;
        }

        foreach (long value in peers.RtcpDrops)
        {
            dropped += value;
        }

        foreach ((string _, long value) in streams.Drops)
        {
            dropped += value;
        }

        return dropped;
    }

    public IReadOnlyList<PluginStatus> Plugins()
    {
        var list = new List<PluginStatus>();
        foreach (LoadedPlugin plugin in plugins.Plugins)
        {
            var settings = new List<PluginSettingStatus>(plugin.Description.Settings.Count);
            foreach (PluginSetting setting in plugin.Description.Settings)
            {
                settings.Add(new PluginSettingStatus(setting.Key, setting.Description, setting.Required, setting.Secret));
            }

            PluginHealth health = plugin.Health;
            list.Add(new PluginStatus(plugin.Name, plugin.Version, plugin.Description.Summary, true, health.Healthy, health.Detail, settings));
        }

        foreach (PluginLoadFailure failure in plugins.Failures)
        {
            list.Add(new PluginStatus(failure.Source, "", "", false, false, failure.Message, []));
        }

        return list;
    }
}
