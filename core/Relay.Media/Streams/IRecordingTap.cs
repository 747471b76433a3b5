namespace Relay.Media.Streams;

/// <summary>
/// Where a <see cref="MediaStream"/> hands what its publisher sends to the recorder: every RTP packet
/// received, decrypted (RTX unwrapped to the original packet, before any rewriting for viewers), and
/// the publisher's RTCP sender reports (the RTP-to-NTP clock mapping that synchronises audio and video).
/// </summary>
/// <remarks>
/// <para>
/// Every call comes under the stream's lock, on the thread that received the packet (the UDP receive
/// worker) or, for the publisher's lifecycle, the thread that attached it or ran the stream's tick.
/// So calls on one tap never overlap and come in the order the stream saw them.
/// </para>
/// <para>
/// An implementation must return at once, allocate nothing per packet and never throw: it runs on the
/// forwarding path of every viewer. A recorder that cannot keep up drops (and counts) instead of
/// waiting. The spans are valid only for the call: copy what is kept. Timestamps are
/// <see cref="TimeProvider.GetTimestamp"/> values of the stream's time provider.
/// </para>
/// </remarks>
public interface IRecordingTap
{
    /// <summary>
    /// A publisher was attached: the first, or one reconnecting. <paramref name="tracks"/> are its tracks;
    /// the track indices of the calls that follow are positions in this list.
    /// </summary>
    void OnPublisherAttached(IReadOnlyList<PublishedTrack> tracks, long timestamp);

    /// <summary>An RTP packet of track <paramref name="trackIndex"/>, decrypted, as received (RTX unwrapped).</summary>
    void OnRtp(int trackIndex, long timestamp, ReadOnlySpan<byte> packet);

    /// <summary>One RTCP sender report (the single RTCP packet, not its compound) about track <paramref name="trackIndex"/>.</summary>
    void OnRtcp(int trackIndex, long timestamp, ReadOnlySpan<byte> packet);

    /// <summary>The publisher's transport ended (failed or closed): the stream waits for a reconnect.</summary>
    void OnPublisherGone(long timestamp);

    /// <summary>The stream ended: nothing more will come.</summary>
    void OnEnded(long timestamp);
}
