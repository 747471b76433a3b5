using System.Diagnostics.Metrics;
using Relay.Protocols.Srtp;
using Relay.Server.Location;
using Relay.Server.Media;
using Relay.Control.Sessions;
using Relay.Server.Recording;
using Relay.Server.Sessions;
using Relay.Transport.Ice;
using Relay.Transport.Udp;

namespace Relay.Server.Metrics;

/// <summary>
/// The relay's meter, <c>Relay</c>: observable instruments over the plain counters the data plane
/// keeps (<see cref="UdpSocketCounters"/>, <see cref="IceCounters"/>, the peers' counters summed by
/// <see cref="MediaNode"/>, and the streams' through <see cref="IStreamMetricsSource"/>), read only
/// when scraped.
/// </summary>
internal sealed class RelayMetrics
{
    public const string MeterName = "Relay";

    private static readonly KeyValuePair<string, object?> s_in = new("direction", "in");
    private static readonly KeyValuePair<string, object?> s_out = new("direction", "out");

    private readonly MediaNode _node;
    private readonly ISessionStore _sessions;
    private readonly IStreamMetricsSource _streams;

    public RelayMetrics(IMeterFactory meterFactory, MediaNode node, ISessionStore sessions, IStreamMetricsSource streams, RecordingService? recording = null, LocationHub? location = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _node = node;
        _sessions = sessions;
        _streams = streams;
        Meter = meterFactory.Create(MeterName);

        Meter.CreateObservableGauge("relay.media_port_up", () => _node.IsRunning ? 1 : 0, description: "1 while the UDP media port is bound and receiving, else 0.");
        Meter.CreateObservableGauge("relay.sessions_open", () => _sessions.CountOpen(), description: "Sessions created and not ended.");
        Meter.CreateObservableGauge("relay.streams", () => _streams.StreamCount, description: "Streams (one per publishing session) on this node.");
        Meter.CreateObservableGauge("relay.viewers", () => _streams.ViewerCount, description: "Viewers (WHEP subscribers) on this node.");
        Meter.CreateObservableGauge("relay.peers", () => _node.PeerCount, description: "Peer transports (publishers and viewers) not yet ended.");

        Meter.CreateObservableCounter("relay.udp_datagrams", UdpDatagrams, description: "UDP datagrams received and sent on the media port.");
        Meter.CreateObservableCounter("relay.udp_bytes", UdpBytes, description: "UDP payload bytes received and sent on the media port.");
        Meter.CreateObservableCounter("relay.udp_errors", UdpErrors, description: "Failed socket receives and sends on the media port.");
        Meter.CreateObservableCounter("relay.rtp_packets", RtpPackets, description: "SRTP packets received from peers (after authentication) and sent to peers.");
        Meter.CreateObservableCounter("relay.rtp_bytes", RtpBytes, description: "Wire bytes of SRTP packets received and sent.");
        Meter.CreateObservableCounter("relay.rtcp_packets", RtcpPackets, description: "SRTCP packets received and sent.");
        Meter.CreateObservableCounter("relay.rtcp_bytes", RtcpBytes, description: "Wire bytes of SRTCP packets received and sent.");
        Meter.CreateObservableCounter("relay.packets_dropped", Dropped, description: "Datagrams and packets dropped, by where and why.");
        Meter.CreateObservableCounter("relay.ice_binding_responses", IceResponses, description: "STUN Binding responses sent by the ICE-lite server, by result.");
        Meter.CreateObservableCounter("relay.ice_consent_losses", () => Ice()?.ConsentLosses ?? 0, description: "Peers whose ICE consent expired (RFC 7675).");
        Meter.CreateObservableCounter("relay.peer_failures", PeerFailures, description: "Peer transports that failed, by cause: ice, consent, dtls (handshake, timeout or fingerprint mismatch), other.");
        Meter.CreateObservableCounter("relay.nacks_received", () => _streams.NacksReceived, description: "Generic NACK (RFC 4585) feedback received from viewers.");
        Meter.CreateObservableCounter("relay.retransmissions", () => _streams.RetransmissionsSent, description: "Packets retransmitted to viewers from the packet cache in answer to NACKs.");
        Meter.CreateObservableCounter("relay.keyframe_requests", KeyframeRequests, description: "PLI and FIR received from viewers and sent to publishers.");
        Meter.CreateObservableCounter("relay.internal_errors", InternalErrors, description: "Exceptions caught so the media plane keeps running; each is a bug.");

        if (location is not null)
        {
            AddLocation(location);
        }

        if (recording is not null)
        {
            Relay.Recording.Segments.RecordingCounters counters = recording.Counters;
            Meter.CreateObservableCounter("relay.recorded_packets", () => counters.PacketsRecorded, description: "Packets (RTP and sender reports) written to recording segments.");
            Meter.CreateObservableCounter("relay.recorded_bytes", () => counters.BytesRecorded, description: "Bytes written to recording segments.");
            Meter.CreateObservableCounter("relay.recording_dropped_packets", () => counters.PacketsDropped, description: "Packets NOT recorded because storage stalled or failed (each stall is a gap in the manifest).");
            Meter.CreateObservableCounter("relay.recording_segments_closed", () => counters.SegmentsClosed, description: "Recording segments closed, hashed and flushed to disk.");
            Meter.CreateObservableCounter("relay.recording_stalls", () => counters.Stalls, description: "Times a recording's queue passed its high-water mark and it began dropping.");
            Meter.CreateObservableCounter("relay.recording_write_errors", () => counters.WriteErrors, description: "Failed writes to recording segments.");
            Meter.CreateObservableCounter("relay.recordings_recovered", () => counters.RecordingsRecovered, description: "Recordings left open by a previous run and recovered at start.");
            Meter.CreateObservableGauge("relay.recordings_stalled", () => counters.StalledRecordings, description: "Recordings dropping packets right now because storage has stalled.");
            Meter.CreateObservableGauge("relay.recordings_open", () => recording.OpenRecordings, description: "Recordings of streams not yet ended.");
        }
    }

    public Meter Meter { get; }

    private void AddLocation(LocationHub location)
    {
        Meter.CreateObservableCounter("relay.location_invalid_messages", () => location.InvalidMessages, description: "Location and chat WebSocket messages refused (not JSON, too large, binary, unknown type, invalid fields, too many positions).");
        Meter.CreateObservableCounter("relay.location_sockets_overflowed", () => location.OverflowedSockets, description: "Location WebSockets (mostly officers) closed because they fell behind and their queue overflowed.");
        Meter.CreateObservableCounter("relay.location_positions", () => location.Positions, description: "Caller positions accepted.");
    }

    private UdpSocketCounters? Udp() => _node.Socket?.Counters;

    private IceCounters? Ice() => _node.IceServer?.Counters;

    private IEnumerable<Measurement<long>> UdpDatagrams()
    {
        UdpSocketCounters? udp = Udp();
        return [new(udp?.DatagramsReceived ?? 0, s_in), new(udp?.DatagramsSent ?? 0, s_out)];
    }

    private IEnumerable<Measurement<long>> UdpBytes()
    {
        UdpSocketCounters? udp = Udp();
        return [new(udp?.BytesReceived ?? 0, s_in), new(udp?.BytesSent ?? 0, s_out)];
    }

    private IEnumerable<Measurement<long>> UdpErrors()
    {
        UdpSocketCounters? udp = Udp();
        return [new(udp?.ReceiveErrors ?? 0, new KeyValuePair<string, object?>("operation", "receive")), new(udp?.SendErrors ?? 0, new KeyValuePair<string, object?>("operation", "send"))];
    }

    private IEnumerable<Measurement<long>> RtpPackets()
    {
        PeerTotals peers = _node.GetPeerTotals();
        return [new(peers.RtpPacketsIn, s_in), new(peers.RtpPacketsOut, s_out)];
    }

    private IEnumerable<Measurement<long>> RtpBytes()
    {
        PeerTotals peers = _node.GetPeerTotals();
        return [new(peers.RtpBytesIn, s_in), new(peers.RtpBytesOut, s_out)];
    }

    private IEnumerable<Measurement<long>> RtcpPackets()
    {
        PeerTotals peers = _node.GetPeerTotals();
        return [new(peers.RtcpPacketsIn, s_in), new(peers.RtcpPacketsOut, s_out)];
    }

    private IEnumerable<Measurement<long>> RtcpBytes()
    {
        PeerTotals peers = _node.GetPeerTotals();
        return [new(peers.RtcpBytesIn, s_in), new(peers.RtcpBytesOut, s_out)];
    }

    private IEnumerable<Measurement<long>> IceResponses()
    {
        IceCounters? ice = Ice();
        return
        [
            new(ice?.BindingSuccessResponses ?? 0, new KeyValuePair<string, object?>("result", "success")),
            new(ice?.ErrorResponses ?? 0, new KeyValuePair<string, object?>("result", "error")),
        ];
    }

    private IEnumerable<Measurement<long>> PeerFailures()
    {
        var measurements = new List<Measurement<long>>();
        foreach (PeerFailureCause cause in Enum.GetValues<PeerFailureCause>())
        {
            measurements.Add(new(_node.GetFailures(cause), new KeyValuePair<string, object?>("cause", cause.ToString().ToLowerInvariant())));
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> KeyframeRequests()
    {
        StreamMetricsSnapshot streams = _streams.Snapshot();
        return
        [
            new(streams.PliReceived, new("type", "pli"), s_in),
            new(streams.FirReceived, new("type", "fir"), s_in),
            new(streams.KeyframeRequestsSent, new("type", "pli"), s_out),
        ];
    }

    private IEnumerable<Measurement<long>> InternalErrors()
    {
        return
        [
            new(Udp()?.HandlerErrors ?? 0, new KeyValuePair<string, object?>("component", "udp_handler")),
            new(Ice()?.HandlerErrors ?? 0, new KeyValuePair<string, object?>("component", "ice_handler")),
            new(_node.TickErrors, new KeyValuePair<string, object?>("component", "media_timer")),
            new(_streams.TickErrors, new KeyValuePair<string, object?>("component", "stream_tick")),
        ];
    }

    private IEnumerable<Measurement<long>> Dropped()
    {
        var drops = new List<Measurement<long>>();
        void Add(string layer, string reason, long value) =>
            drops.Add(new(value, new KeyValuePair<string, object?>("layer", layer), new KeyValuePair<string, object?>("reason", reason)));

        UdpSocketCounters? udp = Udp();
        Add("udp", "oversized", udp?.DroppedOversized ?? 0);
        Add("udp", "unknown_family", udp?.DroppedUnknownFamily ?? 0);

        IceCounters? ice = Ice();
        Add("ice", "unclassified", ice?.DroppedClassifiedUnknown ?? 0);
        Add("ice", "bad_stun", ice?.DroppedBadStun ?? 0);
        Add("ice", "stun_not_request", ice?.DroppedStunNotRequest ?? 0);
        Add("ice", "bad_integrity", ice?.DroppedBadIntegrity ?? 0);
        Add("ice", "unknown_ufrag", ice?.DroppedUnknownUfrag ?? 0);
        Add("ice", "unknown_address", ice?.DroppedUnknownAddress ?? 0);
        Add("ice", "not_validated", ice?.DroppedNotStunBeforeValidation ?? 0);
        Add("ice", "consent_lost", ice?.DroppedConsentLost ?? 0);

        PeerTotals peers = _node.GetPeerTotals();
        Add("peer", "before_keys", peers.DroppedBeforeKeys);
        Add("peer", "after_end", peers.DroppedAfterEnd);
        Add("peer", "unknown", peers.DroppedUnknown);
        Add("peer", "send_failed", peers.SendFailures);
        for (int i = 0; i < PeerTotals.DropReasons.Length; i++)
        {
            string reason = ReasonName(PeerTotals.DropReasons[i]);
            Add("srtp", reason, peers.RtpDrops[i]);
            Add("srtcp", reason, peers.RtcpDrops[i]);
        }

        foreach ((string reason, long value) in _streams.Snapshot().Drops)
        {
            Add("stream", reason, value);
        }

        return drops;
    }

    private static string ReasonName(SrtpError error) => error switch
    {
        SrtpError.TooShort => "too_short",
        SrtpError.BadHeader => "bad_header",
        SrtpError.BufferTooSmall => "buffer_too_small",
        SrtpError.Replayed => "replayed",
        SrtpError.TooOld => "too_old",
        SrtpError.AuthenticationFailed => "authentication_failed",
        SrtpError.TooManySsrcs => "too_many_ssrcs",
        SrtpError.IndexExhausted => "index_exhausted",
        _ => error.ToString().ToLowerInvariant(),
    };
}
