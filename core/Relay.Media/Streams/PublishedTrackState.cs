using Relay.Protocols.Buffers;

namespace Relay.Media.Streams;

/// <summary>
/// The receive side of one published track: which packets are its own, the cache that answers
/// viewers' NACKs, the statistics for receiver reports, the NACKs the relay sends the publisher, and
/// the publisher's last sender report. Touched only under the stream's lock.
/// </summary>
internal sealed class PublishedTrackState : IDisposable
{
    private readonly TimeProvider _time;

    public PublishedTrackState(PublishedTrack track, int index, int cacheCapacity, TimeProvider time)
    {
        _time = time;
        Track = track;
        Index = index;
        Kind = track.Kind;
        VideoCodec = track.Codec switch
        {
            MediaCodec.Vp8 => VideoCodec.Vp8,
            MediaCodec.H264 => VideoCodec.H264,
            _ => VideoCodec.Other,
        };
        PayloadType = track.PayloadType;
        RtxPayloadType = track.RtxPayloadType is byte rtx ? rtx : -1;
        ClockRate = track.ClockRate;
        if (track.Ssrc is uint ssrc)
        {
            Ssrc = ssrc;
            HasSsrc = true;
        }

        if (track.Kind == MediaTrackKind.Video)
        {
            Cache = new PacketCache(cacheCapacity);
        }

        if (track.Nack)
        {
            Nacks = new NackGenerator(time);
        }
    }

    public PublishedTrack Track { get; }

    /// <summary>The track's position in the publisher's list (what the recording tap is told).</summary>
    public int Index { get; }

    public MediaTrackKind Kind { get; }

    public VideoCodec VideoCodec { get; }

    public int PayloadType { get; }

    /// <summary>The publisher's RTX payload type, or -1.</summary>
    public int RtxPayloadType { get; }

    public int ClockRate { get; }

    /// <summary>The media SSRC: announced, or learned from the first packet.</summary>
    public uint Ssrc { get; private set; }

    public bool HasSsrc { get; private set; }

    /// <summary>The packets of this track, for viewers' NACKs; video only.</summary>
    public PacketCache? Cache { get; }

    /// <summary>Losses on the publisher's path; only if the publisher agreed to NACK.</summary>
    public NackGenerator? Nacks { get; }

    public ReceiveStatistics? Statistics { get; private set; }

    /// <summary>Whether a sender report arrived from the publisher for this track's SSRC.</summary>
    public bool HasSenderReport { get; private set; }

    public ulong SenderReportNtp { get; private set; }

    public uint SenderReportRtpTimestamp { get; private set; }

    public long SenderReportArrival { get; private set; }

    /// <summary>
    /// Notes the SSRC of a media packet: the first one (or a new one, should the publisher change it)
    /// resets what was known about the previous SSRC. True if it changed.
    /// </summary>
    public bool ObserveSsrc(uint ssrc)
    {
        if (HasSsrc && Statistics is not null && ssrc == Ssrc)
        {
            return false;
        }

        return SetSsrc(ssrc);
    }

    public void OnSenderReport(ulong ntp, uint rtpTimestamp, long arrival)
    {
        HasSenderReport = true;
        SenderReportNtp = ntp;
        SenderReportRtpTimestamp = rtpTimestamp;
        SenderReportArrival = arrival;
        Statistics?.OnSenderReport(ntp, arrival);
    }

    public void Dispose() => Cache?.Dispose();

    private bool SetSsrc(uint ssrc)
    {
        bool changed = HasSsrc && ssrc != Ssrc;
        if (changed || Statistics is null)
        {
            Statistics = new ReceiveStatistics(_time, ssrc, ClockRate);
        }

        if (changed)
        {
            Cache?.Clear();
            Nacks?.Reset();
            HasSenderReport = false;
        }

        Ssrc = ssrc;
        HasSsrc = true;
        return changed;
    }
}
