using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Rtp;
using Relay.Protocols.Srtp;
using Relay.Transport.Peers;

namespace Relay.Media.Streams;

/// <summary>
/// One published track set and its viewers: the publisher's packets, decrypted once by its transport,
/// are rewritten for each viewer (its SSRC and payload type, sequence numbers and timestamps that
/// carry on across a publisher reconnect), protected with that viewer's SRTP context and sent. RTCP:
/// viewers' PLI and FIR are coalesced into keyframe requests to the publisher, a joining viewer gets
/// video only from a keyframe on.
/// </summary>
/// <remarks>
/// <para>
/// Threads. Media and RTCP of every peer arrive on the UDP receive worker; <see cref="Tick"/> runs on
/// a timer thread; <see cref="AttachPublisher"/>, <see cref="AddSubscriber"/> and the disposes come
/// from the server. All of them take the stream's one lock, uncontended on the packet path, and every
/// send to a peer happens under it: so sends to one peer never overlap (its SRTP sessions are not
/// thread-safe), and a viewer leaves the stream under the lock before its transport is disposed, so a
/// dispose never meets a send in progress.
/// </para>
/// <para>
/// The packet path allocates nothing: the publisher's lease is retained by the NACK cache, each viewer's
/// copy is written into one reused send buffer, rewritten and protected in place.
/// </para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A media stream in the WebRTC sense (MEDIA_API.md), not a System.IO.Stream.")]
public sealed class MediaStream : IDisposable
{
    /// <summary>Room after a packet in the send buffer: the SRTP trailer, and the 2 bytes RTX adds.</summary>
    private const int SendBufferSlack = PeerTransport.MaxTrailerLength + 2 + 10;

    /// <summary>Sequence numbers one NACK to the publisher carries at most, per track per tick.</summary>
    private const int MaxNacksPerTick = 64;

    /// <summary>NTP timestamps count 2^32 units per second.</summary>
    private const long NtpUnitsPerSecond = 1L << 32;

    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly KeyframeRequestCoalescer _keyframes;
    private readonly Random _random;
    private readonly Random _loss;
    private readonly double _lossRate;
    private readonly int _cacheCapacity;
    private readonly TimeSpan _keyframeRequestInterval;
    private readonly long _gracePeriodTicks;
    private readonly long _reportIntervalTicks;
    private readonly byte[] _sendBuffer;
    private readonly uint _relaySsrc;
    private readonly long _frequency;
    private readonly long _retransmissionBytesPerSecond;
    private readonly ushort[] _nackScratch = new ushort[MaxNacksPerTick];
    private readonly IRecordingTap? _tap;
    private readonly Action<string>? _stateChanged;

    private MediaSubscriber[] _subscribers = [];
    private MediaPublisher? _publisher;
    private PublishedTrackState[] _published = [];
    private IReadOnlyList<PublishedTrack> _tracks = [];
    private int _state;
    private bool _firstPublisher;
    private long _publisherGoneAt;
    private long _nextReportAt;

    /// <param name="id">The stream's id (the session's).</param>
    /// <param name="options">Grace period, cache size, report intervals.</param>
    /// <param name="pool">The pool the node receives into (sizes the send buffer).</param>
    /// <param name="timeProvider">The clock of the packet path.</param>
    /// <param name="recordingTap">Where every packet the publisher sends is handed for recording, or null.</param>
    /// <param name="stateChanged">
    /// Called with the stream's id after its <see cref="State"/> changed, outside the stream's lock, on
    /// whichever thread changed it (the server's, a receive worker's, the tick's): it must be quick and
    /// never block. So the server can push a session's state to its sockets as it happens. Null for none.
    /// </param>
    public MediaStream(string id, MediaStreamOptions options, PacketBufferPool pool, TimeProvider timeProvider, IRecordingTap? recordingTap = null, Action<string>? stateChanged = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.PacketCacheCapacity is < 1 or > PacketCache.MaxCapacity)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options.PacketCacheCapacity));
        }

        if (options.ViewerPacketLossForTesting is < 0 or > 1 || double.IsNaN(options.ViewerPacketLossForTesting))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options.ViewerPacketLossForTesting));
        }

        if (options.MaxRetransmissionBytesPerSecond < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options.MaxRetransmissionBytesPerSecond));
        }

        long frequency = MediaTime.FrequencyOf(timeProvider);
        Id = id;
        _tap = recordingTap;
        _stateChanged = stateChanged;
        _time = timeProvider;
        _frequency = frequency;
        _keyframes = new KeyframeRequestCoalescer(timeProvider, options.KeyframeRequestInterval);
        _keyframeRequestInterval = options.KeyframeRequestInterval;
        _gracePeriodTicks = MediaTime.ToTicks(options.PublisherGracePeriod, frequency, nameof(options.PublisherGracePeriod));
        _reportIntervalTicks = MediaTime.ToTicks(options.ReceiverReportInterval, frequency, nameof(options.ReceiverReportInterval));
        _cacheCapacity = options.PacketCacheCapacity;
        _lossRate = options.ViewerPacketLossForTesting;
        _retransmissionBytesPerSecond = options.MaxRetransmissionBytesPerSecond;
        _loss = new Random(options.ViewerPacketLossSeed);
#pragma warning disable CA5394 // Sequence numbers and timestamps need to be unpredictable to nobody; SRTP protects the media.
        _random = new Random();
        _relaySsrc = (uint)_random.Next(1, int.MaxValue);
#pragma warning restore CA5394
        _sendBuffer = new byte[pool.BlockSize + SendBufferSlack];
    }

    public string Id { get; }

    public MediaStreamState State => (MediaStreamState)Volatile.Read(ref _state);

    /// <summary>The current (or last) publisher's tracks; empty before the first publisher.</summary>
    public IReadOnlyList<PublishedTrack> Tracks => Volatile.Read(ref _tracks);

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public MediaStreamCounters Counters { get; } = new();

    /// <summary>The SSRC the relay's own RTCP to the publisher (receiver reports, NACK, PLI) is sent from.</summary>
    public uint RelaySsrc => _relaySsrc;

    /// <summary>
    /// A publisher: the first, or one reconnecting (within the grace period, or replacing a live one):
    /// the same stream goes on for its viewers, with sequence numbers and timestamps continuous and
    /// video gated until the new publisher's first keyframe. Detaches any previous publisher and
    /// disposes its transport.
    /// </summary>
    public MediaPublisher AttachPublisher(IReadOnlyList<PublishedTrack> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        PublishedTrack[] copy = [.. tracks];
        ValidatePublished(copy);
        var publisher = new MediaPublisher(this, copy);
        var states = new PublishedTrackState[copy.Length];
        for (int i = 0; i < copy.Length; i++)
        {
            states[i] = new PublishedTrackState(copy[i], i, _cacheCapacity, _time);
        }

        PeerTransport? previous = null;
        bool changed;
        lock (_sync)
        {
            if (_state == (int)MediaStreamState.Ended)
            {
                DisposeStates(states);
                ThrowHelper.ThrowObjectDisposed(nameof(MediaStream));
            }

            bool hadSource = _publisher is not null;
            _firstPublisher = !hadSource;
            if (_publisher is not null)
            {
                _publisher.IsDetached = true;
                previous = _publisher.Transport;
            }

            DisposeStates(_published);
            _published = states;
            _publisher = publisher;
            Volatile.Write(ref _tracks, copy);
            changed = _state != (int)MediaStreamState.Live;
            Volatile.Write(ref _state, (int)MediaStreamState.Live);
            TapLocked(TapEvent.PublisherAttached, copy);
            if (hadSource)
            {
                foreach (MediaSubscriber subscriber in _subscribers)
                {
                    subscriber.Audio?.OnSourceSwitch();
                    subscriber.Video?.OnSourceSwitch();
                }
            }
        }

        previous?.Dispose();
        if (changed)
        {
            _stateChanged?.Invoke(Id);
        }

        return publisher;
    }

    /// <summary>
    /// Takes back a publisher whose transport never started (signalling failed after
    /// <see cref="AttachPublisher"/>), so the stream does not stay live on a publisher that cannot
    /// send. A first publisher leaves the stream waiting as before it came; one that replaced another
    /// leaves it as if that had gone: in the grace period, then ended. Disposes the publisher's
    /// transport if it has one. Nothing if the stream has already replaced or lost this publisher.
    /// </summary>
    public void DetachPublisher(MediaPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        bool changed;
        lock (_sync)
        {
            if (_publisher != publisher || publisher.IsDetached)
            {
                return;
            }

            changed = _state == (int)MediaStreamState.Live;

            publisher.IsDetached = true;
            TapLocked(TapEvent.PublisherGone, null);
            if (_firstPublisher)
            {
                _publisher = null;
                DisposeStates(_published);
                _published = [];
                Volatile.Write(ref _tracks, []);
                Volatile.Write(ref _state, (int)MediaStreamState.WaitingForPublisher);
            }
            else
            {
                _publisherGoneAt = _time.GetTimestamp();
                Volatile.Write(ref _state, (int)MediaStreamState.PublisherGone);
            }
        }

        publisher.Transport?.Dispose();
        if (changed)
        {
            _stateChanged?.Invoke(Id);
        }
    }

    /// <summary>A viewer; asks the publisher for a keyframe and gates its video until one arrives.</summary>
    public MediaSubscriber AddSubscriber(IReadOnlyList<SubscribedTrack> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        SubscribedTrack[] copy = [.. tracks];
        SubscriberTrackState? audio = null;
        SubscriberTrackState? video = null;
        lock (_sync)
        {
            if (_state == (int)MediaStreamState.Ended)
            {
                ThrowHelper.ThrowObjectDisposed(nameof(MediaStream));
            }

            foreach (SubscribedTrack track in copy)
            {
                ArgumentNullException.ThrowIfNull(track, nameof(tracks));
                if (track.PayloadType > 0x7F || track.RtxPayloadType > 0x7F)
                {
                    ThrowHelper.ThrowArgument("Payload types are 0 to 127.", nameof(tracks));
                }

                ref SubscriberTrackState? slot = ref track.Kind == MediaTrackKind.Video ? ref video : ref audio;
                if (slot is not null)
                {
                    ThrowHelper.ThrowArgument("A viewer receives at most one audio and one video track.", nameof(tracks));
                }

                slot = new SubscriberTrackState(track, _time, _keyframeRequestInterval, _random);
            }

            var subscriber = new MediaSubscriber(this, copy, audio, video);
            MediaSubscriber[] current = _subscribers;
            var next = new MediaSubscriber[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = subscriber;
            Volatile.Write(ref _subscribers, next);
            if (video is not null && _state == (int)MediaStreamState.Live)
            {
                RequestKeyframeLocked(KeyframeRequestKind.Pli, _time.GetTimestamp());
            }

            return subscriber;
        }
    }

    /// <summary>
    /// Asks the publisher for a keyframe on behalf of the control plane (an officer's "refresh
    /// picture"), through the same coalescer as the viewers' PLIs, so repeated asks cost one PLI
    /// per <see cref="MediaStreamOptions.KeyframeRequestInterval"/>. Nothing when not live.
    /// </summary>
    public void RequestKeyframe()
    {
        lock (_sync)
        {
            if (_state == (int)MediaStreamState.Live)
            {
                RequestKeyframeLocked(KeyframeRequestKind.Pli, _time.GetTimestamp());
            }
        }
    }

    /// <summary>
    /// Periodic work, every ~20 ms from one timer thread: NACKs for the publisher's lost packets (if it
    /// agreed to NACK), held keyframe requests, every <see cref="MediaStreamOptions.ReceiverReportInterval"/>
    /// a receiver report to the publisher and sender reports to the viewers, and the grace period of a
    /// publisher that has gone (after which the stream ends and its viewers are closed). <paramref name="nowTimestamp"/> is a
    /// <see cref="TimeProvider.GetTimestamp"/> value of the stream's time provider.
    /// </summary>
    public void Tick(long nowTimestamp)
    {
        MediaSubscriber[]? ended = null;
        lock (_sync)
        {
            MediaStreamState state = (MediaStreamState)_state;
            if (state == MediaStreamState.Ended)
            {
                return;
            }

            if (state == MediaStreamState.PublisherGone && nowTimestamp - _publisherGoneAt >= _gracePeriodTicks)
            {
                ended = EndLocked();
            }
            else if (state == MediaStreamState.Live)
            {
                KeyframeRequest request = _keyframes.Poll(nowTimestamp);
                if (request.ShouldSend)
                {
                    SendKeyframeRequestLocked();
                }

                SendNacksLocked(nowTimestamp);
                if (nowTimestamp >= _nextReportAt)
                {
                    _nextReportAt = nowTimestamp + _reportIntervalTicks;
                    SendReceiverReportLocked(nowTimestamp);
                    foreach (MediaSubscriber subscriber in _subscribers)
                    {
                        SendSenderReportsLocked(subscriber, nowTimestamp);
                    }
                }
            }
        }

        if (ended is not null)
        {
            DisposePeers(ended, null);
            _stateChanged?.Invoke(Id);
        }
    }

    /// <summary>Ends the stream and disposes its peers (the publisher's transport and every viewer's).</summary>
    public void Dispose()
    {
        MediaSubscriber[] ended;
        PeerTransport? publisher;
        lock (_sync)
        {
            if (_state == (int)MediaStreamState.Ended)
            {
                return;
            }

            publisher = _publisher?.Transport;
            ended = EndLocked();
        }

        DisposePeers(ended, publisher);
        _stateChanged?.Invoke(Id);
    }

    internal bool IsSubscribed(MediaSubscriber subscriber)
    {
        lock (_sync)
        {
            return !subscriber.IsRemoved;
        }
    }

    internal void RemoveSubscriber(MediaSubscriber subscriber)
    {
        lock (_sync)
        {
            RemoveLocked(subscriber);
        }

        // Out of the stream, and so out of every send, before its keys go.
        subscriber.Transport?.Dispose();
    }

    internal void OnPublisherBound(MediaPublisher publisher, PeerTransport transport)
    {
        bool detached;
        lock (_sync)
        {
            detached = publisher.IsDetached;
        }

        if (detached)
        {
            transport.Dispose();
        }
    }

    internal void OnPublisherRtp(MediaPublisher publisher, PacketLease packet)
    {
        try
        {
            lock (_sync)
            {
                if (publisher.IsDetached)
                {
                    Counters.CountDrop(MediaDropReason.NotCurrentPublisher);
                }
                else
                {
                    ForwardLocked(packet);
                }
            }
        }
        finally
        {
            packet.Release();
        }
    }

    internal void OnPublisherRtcp(MediaPublisher publisher, PacketLease packet)
    {
        try
        {
            lock (_sync)
            {
                if (publisher.IsDetached)
                {
                    Counters.CountDrop(MediaDropReason.NotCurrentPublisher);
                }
                else
                {
                    ReadPublisherRtcpLocked(packet.Span, _time.GetTimestamp());
                }

                // Counted last, so a reader that sees the count sees what the packet did.
                Counters._rtcpPacketsIn++;
            }
        }
        finally
        {
            packet.Release();
        }
    }

    internal void OnPublisherStateChanged(MediaPublisher publisher, PeerTransportState state)
    {
        if (state < PeerTransportState.Failed)
        {
            return;
        }

        bool gone;
        lock (_sync)
        {
            if (publisher.IsDetached || _publisher != publisher)
            {
                return;
            }

            publisher.IsDetached = true;
            _publisherGoneAt = _time.GetTimestamp();
            TapLocked(TapEvent.PublisherGone, null);
            gone = _state == (int)MediaStreamState.Live;
            if (gone)
            {
                Volatile.Write(ref _state, (int)MediaStreamState.PublisherGone);
            }
        }

        publisher.Transport?.Dispose();
        if (gone)
        {
            _stateChanged?.Invoke(Id);
        }
    }

    internal void OnSubscriberRtcp(MediaSubscriber subscriber, PacketLease packet)
    {
        try
        {
            lock (_sync)
            {
                if (!subscriber.IsRemoved)
                {
                    ReadSubscriberRtcpLocked(subscriber, packet.Span, _time.GetTimestamp());
                }

                Counters._rtcpPacketsIn++;
            }
        }
        finally
        {
            packet.Release();
        }
    }

    internal void OnSubscriberStateChanged(MediaSubscriber subscriber, PeerTransportState state)
    {
        if (state == PeerTransportState.Connected)
        {
            lock (_sync)
            {
                // The keyframe asked for on join may have come and gone during the handshake.
                if (!subscriber.IsRemoved && subscriber.Video is not null && _state == (int)MediaStreamState.Live)
                {
                    RequestKeyframeLocked(KeyframeRequestKind.Pli, _time.GetTimestamp());
                }
            }
        }
        else if (state >= PeerTransportState.Failed)
        {
            RemoveSubscriber(subscriber);
        }
    }

    private static void ValidatePublished(PublishedTrack[] tracks)
    {
        foreach (PublishedTrack track in tracks)
        {
            if (track is null)
            {
                ThrowHelper.ThrowArgument("A published track is null.", nameof(tracks));
            }

            if (track.ClockRate <= 0 || track.PayloadType > 0x7F || track.RtxPayloadType > 0x7F)
            {
                ThrowHelper.ThrowArgument("A published track needs a positive clock rate and payload types of 0 to 127.", nameof(tracks));
            }
        }
    }

    private static void DisposeStates(PublishedTrackState[] states)
    {
        foreach (PublishedTrackState state in states)
        {
            state.Dispose();
        }
    }

    private static void DisposePeers(MediaSubscriber[] subscribers, PeerTransport? publisher)
    {
        foreach (MediaSubscriber subscriber in subscribers)
        {
            subscriber.Transport?.Dispose();
        }

        publisher?.Dispose();
    }

    // Under _sync.
    private MediaSubscriber[] EndLocked()
    {
        MediaSubscriber[] subscribers = _subscribers;
        foreach (MediaSubscriber subscriber in subscribers)
        {
            subscriber.IsRemoved = true;
        }

        Volatile.Write(ref _subscribers, []);
        if (_publisher is not null)
        {
            _publisher.IsDetached = true;
        }

        DisposeStates(_published);
        Volatile.Write(ref _state, (int)MediaStreamState.Ended);
        TapLocked(TapEvent.Ended, null);
        return subscribers;
    }

    // Under _sync.
    private void RemoveLocked(MediaSubscriber subscriber)
    {
        if (subscriber.IsRemoved)
        {
            return;
        }

        subscriber.IsRemoved = true;
        MediaSubscriber[] current = _subscribers;
        int index = Array.IndexOf(current, subscriber);
        if (index < 0)
        {
            return;
        }

        var next = new MediaSubscriber[current.Length - 1];
        Array.Copy(current, 0, next, 0, index);
        Array.Copy(current, index + 1, next, index, current.Length - index - 1);
        Volatile.Write(ref _subscribers, next);
    }

    // Under _sync. The publisher's packet, decrypted: note it, cache it, send it to every viewer.
    private void ForwardLocked(PacketLease lease)
    {
        long now = _time.GetTimestamp();
        if (!RtpPacketReader.TryRead(lease.Span, out RtpPacketReader reader))
        {
            Counters.CountDrop(MediaDropReason.NotRtp);
            return;
        }

        Counters._rtpPacketsIn++;
        Counters._rtpBytesIn += lease.Length;
        PublishedTrackState? track = FindTrack(reader.Header.PayloadType, out bool isRetransmission);
        if (track is null)
        {
            Counters.CountDrop(MediaDropReason.UnknownTrack);
            return;
        }

        if (isRetransmission)
        {
            if (!RtxPacket.TryUnwrap(lease, track, out reader))
            {
                Counters.CountDrop(MediaDropReason.EmptyRetransmission);
                return;
            }

            Counters._publisherRetransmissionsReceived++;
        }

        if (_tap is not null)
        {
            RecordLocked(track.Index, now, lease.Span, RecordedKind.Rtp);
        }

        RtpHeader header = reader.Header;
        if (track.ObserveSsrc(header.Ssrc))
        {
            OnSourceChangedLocked(track.Kind);
        }

        if (!isRetransmission)
        {
            track.Statistics!.OnPacketReceived(header.SequenceNumber, header.Timestamp, now);
        }

        if (track.Nacks is not null && track.Nacks.OnPacketReceived(header.SequenceNumber, now) == NackReceiveResult.KeyframeNeeded)
        {
            RequestKeyframeLocked(KeyframeRequestKind.Pli, now);
        }

        KeyframeStatus status = KeyframeStatus.Unknown;
        if (track.Kind == MediaTrackKind.Video)
        {
            status = VideoPayload.GetKeyframeStatus(track.VideoCodec, reader.Payload);
            if (status == KeyframeStatus.KeyframeStart)
            {
                _keyframes.OnKeyframeReceived();
            }
        }

        if (track.Cache is not null && track.Cache.Add(header.SequenceNumber, lease) == PacketCacheAddResult.Duplicate)
        {
            // Already forwarded: a retransmission the relay did not need.
            return;
        }

        int payloadLength = reader.Payload.Length;
        MediaSubscriber[] subscribers = _subscribers;
        for (int i = 0; i < subscribers.Length; i++)
        {
            SubscriberTrackState? target = subscribers[i].GetTrack(track.Kind);
            if (target is not null)
            {
                ForwardToLocked(subscribers[i], target, track, lease, status, payloadLength, now);
            }
        }
    }

    // Under _sync. The tap must not throw; if it does anyway (a bug), forwarding goes on and it is counted.
    [SuppressMessage("Design", "CA1031", Justification = "A recorder's bug must not stop forwarding; it is counted.")]
    private void RecordLocked(int trackIndex, long now, ReadOnlySpan<byte> packet, RecordedKind kind)
    {
        try
        {
            if (kind == RecordedKind.Rtp)
            {
                _tap!.OnRtp(trackIndex, now, packet);
            }
            else
            {
                _tap!.OnRtcp(trackIndex, now, packet);
            }
        }
        catch (Exception)
        {
            Counters._recordingTapErrors++;
        }
    }

    // Under _sync. The publisher's lifecycle, to the tap.
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SuppressMessage("Design", "CA1031", Justification = "A recorder's bug must not stop the stream; it is counted.")]
    private void TapLocked(TapEvent tapEvent, IReadOnlyList<PublishedTrack>? tracks)
    {
        if (_tap is null)
        {
            return;
        }

        long now = _time.GetTimestamp();
        try
        {
            switch (tapEvent)
            {
                case TapEvent.PublisherAttached:
                    _tap.OnPublisherAttached(tracks!, now);
                    break;
                case TapEvent.PublisherGone:
                    _tap.OnPublisherGone(now);
                    break;
                default:
                    _tap.OnEnded(now);
                    break;
            }
        }
        catch (Exception)
        {
            Counters._recordingTapErrors++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PublishedTrackState? FindTrack(byte payloadType, out bool isRetransmission)
    {
        PublishedTrackState[] published = _published;
        for (int i = 0; i < published.Length; i++)
        {
            PublishedTrackState track = published[i];
            if (track.PayloadType == payloadType)
            {
                isRetransmission = false;
                return track;
            }

            if (track.RtxPayloadType == payloadType)
            {
                isRetransmission = true;
                return track;
            }
        }

        isRetransmission = false;
        return null;
    }

    private void ForwardToLocked(
        MediaSubscriber subscriber, SubscriberTrackState target, PublishedTrackState track, PacketLease lease, KeyframeStatus status, int payloadLength, long now)
    {
        PeerTransport? transport = subscriber.Transport;
        if (transport is null || transport.State != PeerTransportState.Connected)
        {
            Counters.CountDrop(MediaDropReason.ViewerNotConnected);
            return;
        }

        if (target.Gate is not null)
        {
            KeyframeGateResult decision = target.Gate.Process(status, now);
            if (decision != KeyframeGateResult.Forward)
            {
                if (decision == KeyframeGateResult.DropAndRequestKeyframe)
                {
                    RequestKeyframeLocked(KeyframeRequestKind.Pli, now);
                }

                Counters.CountDrop(MediaDropReason.WaitingForKeyframe);
                return;
            }
        }

        Span<byte> buffer = _sendBuffer;
        lease.Span.CopyTo(buffer);
        int length = RtpExtensionStripper.Strip(buffer, lease.Length);
        OutboundSequencer sequencer = target.GetSequencer(track.ClockRate, _random);
        if (!sequencer.TryRewrite(buffer.Slice(0, length), now))
        {
            Counters.CountDrop(MediaDropReason.SequencerRefused);
            return;
        }

        target.PacketsSent++;
        target.OctetsSent += (uint)payloadLength;
        if (_lossRate > 0 && _loss.NextDouble() < _lossRate)
        {
            Counters.CountDrop(MediaDropReason.InjectedLoss);
            return;
        }

        if (SendRtpLocked(transport, buffer, length))
        {
            Counters._rtpPacketsOut++;
            Counters._rtpBytesOut += length;
        }
    }

    // Under _sync. False (counted) if the packet was not sent.
    private bool SendRtpLocked(PeerTransport transport, Span<byte> buffer, int length, bool retransmission = false)
    {
        SrtpError error;
        try
        {
            error = retransmission ? transport.SendRtpRetransmission(buffer, length) : transport.SendRtp(buffer, length);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // Only when the transport was disposed behind the stream's back; the stream never does.
            Counters.CountDrop(MediaDropReason.ViewerNotConnected);
            return false;
        }

        if (error != SrtpError.None)
        {
            Counters.CountDrop(MediaDropReason.ProtectFailed);
            return false;
        }

        return true;
    }

    // Under _sync. False (counted) if the packet was not sent.
    private bool SendRtcpLocked(PeerTransport? transport, Span<byte> buffer, int length)
    {
        if (transport is null || transport.State != PeerTransportState.Connected)
        {
            return false;
        }

        SrtpError error;
        try
        {
            error = transport.SendRtcp(buffer, length);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }

        if (error != SrtpError.None)
        {
            Counters.CountDrop(MediaDropReason.ProtectFailed);
            return false;
        }

        Counters._rtcpPacketsOut++;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnSourceChangedLocked(MediaTrackKind kind)
    {
        foreach (MediaSubscriber subscriber in _subscribers)
        {
            subscriber.GetTrack(kind)?.OnSourceSwitch();
        }
    }

    // Under _sync.
    private void RequestKeyframeLocked(KeyframeRequestKind kind, long now)
    {
        if (_keyframes.OnRequest(kind, now).ShouldSend)
        {
            SendKeyframeRequestLocked();
        }
    }

    // Under _sync. A PLI for every video track; a FIR from a viewer is forwarded as a PLI too (RFC 5104 allows either).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SendKeyframeRequestLocked()
    {
        PeerTransport? transport = _publisher?.Transport;
        var compound = new RtcpCompoundWriter(_sendBuffer.AsSpan(0, _sendBuffer.Length - SendBufferSlack));
        compound.TryAdd(new ReceiverReportWriter(_relaySsrc));
        bool any = false;
        foreach (PublishedTrackState track in _published)
        {
            if (track.Kind == MediaTrackKind.Video && track.HasSsrc)
            {
                any |= compound.TryAdd(new PictureLossIndication(_relaySsrc, track.Ssrc));
            }
        }

        if (any && SendRtcpLocked(transport, _sendBuffer, compound.Written))
        {
            Counters._keyframeRequestsSent++;
        }
    }

    // Under _sync.
    private void ReadPublisherRtcpLocked(ReadOnlySpan<byte> compound, long now)
    {
        var packets = new RtcpCompoundEnumerator(compound);
        while (packets.MoveNext())
        {
            RtcpPacket packet = packets.Current;
            if (packet.Type == RtcpPacketType.SenderReport && SenderReport.TryRead(packet, out SenderReport report))
            {
                foreach (PublishedTrackState track in _published)
                {
                    if (track.HasSsrc && track.Ssrc == report.Ssrc)
                    {
                        SenderInfo info = report.SenderInfo;
                        track.OnSenderReport(info.NtpTimestamp, info.RtpTimestamp, now);
                        if (_tap is not null)
                        {
                            RecordLocked(track.Index, now, packet.Data, RecordedKind.Rtcp);
                        }
                    }
                }
            }
        }

        if (packets.IsMalformed)
        {
            Counters.CountDrop(MediaDropReason.MalformedRtcp);
        }
    }

    // Under _sync. A viewer's RTCP: validated whole first, so a bad compound changes nothing.
    private void ReadSubscriberRtcpLocked(MediaSubscriber subscriber, ReadOnlySpan<byte> compound, long now)
    {
        if (RtcpCompoundEnumerator.Validate(compound) != RtcpParseError.None)
        {
            Counters.CountDrop(MediaDropReason.MalformedRtcp);
            return;
        }

        var packets = new RtcpCompoundEnumerator(compound);
        while (packets.MoveNext())
        {
            RtcpPacket packet = packets.Current;
            if (packet.Type == RtcpPacketType.PayloadSpecificFeedback)
            {
                ReadPayloadFeedbackLocked(subscriber, packet, now);
            }
            else if (packet.Type == RtcpPacketType.TransportLayerFeedback && packet.Format == (int)TransportLayerFeedbackFormat.GenericNack)
            {
                ReadNackLocked(subscriber, packet, now);
            }
        }
    }

    private void ReadPayloadFeedbackLocked(MediaSubscriber subscriber, RtcpPacket packet, long now)
    {
        SubscriberTrackState? video = subscriber.Video;
        if (packet.Format == (int)PayloadSpecificFeedbackFormat.PictureLossIndication)
        {
            if (!PictureLossIndication.TryRead(packet, out PictureLossIndication pli))
            {
                Counters.CountDrop(MediaDropReason.MalformedRtcp);
                return;
            }

            if (video is null || pli.MediaSsrc != video.Ssrc)
            {
                Counters.CountDrop(MediaDropReason.UnknownSsrc);
                return;
            }

            Counters._plisReceived++;
            RequestKeyframeLocked(KeyframeRequestKind.Pli, now);
        }
        else if (packet.Format == (int)PayloadSpecificFeedbackFormat.FullIntraRequest)
        {
            if (!FullIntraRequest.TryRead(packet, out FullIntraRequest fir))
            {
                Counters.CountDrop(MediaDropReason.MalformedRtcp);
                return;
            }

            bool ours = false;
            for (int i = 0; i < fir.EntryCount; i++)
            {
                ours |= video is not null && fir.GetEntry(i).Ssrc == video.Ssrc;
            }

            if (!ours)
            {
                Counters.CountDrop(MediaDropReason.UnknownSsrc);
                return;
            }

            Counters._firsReceived++;
            RequestKeyframeLocked(KeyframeRequestKind.Fir, now);
        }
    }
    // Under _sync. A viewer's NACK: each packet it names is retransmitted from the cache, at most once
    // per request window (RetransmissionLimiter), as RTX if the viewer accepted RTX.
    private void ReadNackLocked(MediaSubscriber subscriber, RtcpPacket packet, long now)
    {
        if (!GenericNack.TryRead(packet, out GenericNack nack))
        {
            Counters.CountDrop(MediaDropReason.MalformedRtcp);
            return;
        }

        SubscriberTrackState? target = subscriber.Video is { } video && video.Ssrc == nack.MediaSsrc ? video
            : subscriber.Audio is { } audio && audio.Ssrc == nack.MediaSsrc ? audio
            : null;
        if (target is null)
        {
            Counters.CountDrop(MediaDropReason.UnknownSsrc);
            return;
        }

        PacketCache? cache = null;
        foreach (PublishedTrackState track in _published)
        {
            if (track.Kind == target.Track.Kind)
            {
                cache = track.Cache;
                break;
            }
        }

        PeerTransport? transport = subscriber.Transport;
        foreach (ushort sequenceNumber in nack.LostSequenceNumbers)
        {
            Counters._nackedPacketsReceived++;
            if (!target.Track.Nack || cache is null || transport is null || transport.State != PeerTransportState.Connected)
            {
                Counters.CountDrop(MediaDropReason.RetransmissionUnavailable);
                continue;
            }

            RetransmitLocked(subscriber, transport, target, cache, sequenceNumber, now);
        }

        Counters._nacksReceived++;
    }

    // Under _sync.
    private void RetransmitLocked(MediaSubscriber subscriber, PeerTransport transport, SubscriberTrackState target, PacketCache cache, ushort sequenceNumber, long now)
    {
        OutboundSequencer? sequencer = target.Sequencer;
        if (sequencer is null
            || !sequencer.TryGetPublisherSequenceNumber(sequenceNumber, out ushort publisherSequenceNumber)
            || !cache.TryGet(publisherSequenceNumber, out PacketLease? cached))
        {
            Counters.CountDrop(MediaDropReason.RetransmissionUnavailable);
            return;
        }

        if (!target.Limiter.TryAcquire(sequenceNumber, now))
        {
            Counters.CountDrop(MediaDropReason.RetransmissionSuppressed);
            return;
        }

        Span<byte> buffer = _sendBuffer;
        cached.Span.CopyTo(buffer);
        int length = RtpExtensionStripper.Strip(buffer, cached.Length);
        if (!sequencer.TryRewriteRetransmission(buffer.Slice(0, length)))
        {
            Counters.CountDrop(MediaDropReason.RetransmissionUnavailable);
            return;
        }

        // What goes on the wire: the packet, 2 bytes more as RTX, and the SRTP trailer.
        if (!subscriber.RetransmissionBudget.TryTake(length + (target.HasRtx ? 2 : 0) + PeerTransport.MaxTrailerLength, now, _retransmissionBytesPerSecond, _frequency))
        {
            Counters.CountDrop(MediaDropReason.RetransmissionRateLimited);
            return;
        }

        bool sent;
        if (target.HasRtx)
        {
            length = RtxPacket.Wrap(buffer, length, target.RtxPayloadType, target.RtxSsrc, target.NextRtxSequenceNumber);
            target.NextRtxSequenceNumber++;
            sent = length != 0 && SendRtpLocked(transport, buffer, length, retransmission: false);
        }
        else
        {
            // The same bytes under the same sequence number: the SRTP index may repeat (allow_repeat_tx).
            sent = SendRtpLocked(transport, buffer, length, retransmission: true);
        }

        if (sent)
        {
            Counters._retransmissionsSent++;
            Counters._rtpPacketsOut++;
            Counters._rtpBytesOut += length;
        }
    }

    // Under _sync. A NACK to the publisher for each track whose lost packets are due for a request.
    private void SendNacksLocked(long now)
    {
        PeerTransport? transport = _publisher?.Transport;
        foreach (PublishedTrackState track in _published)
        {
            if (track.Nacks is null || !track.HasSsrc)
            {
                continue;
            }

            int count = track.Nacks.CollectNacks(now, _nackScratch);
            if (count == 0)
            {
                continue;
            }

            var compound = new RtcpCompoundWriter(_sendBuffer.AsSpan(0, _sendBuffer.Length - SendBufferSlack));
            compound.TryAdd(new ReceiverReportWriter(_relaySsrc));
            if (compound.TryAdd(new GenericNackWriter(_relaySsrc, track.Ssrc, _nackScratch.AsSpan(0, count)))
                && SendRtcpLocked(transport, _sendBuffer, compound.Written))
            {
                Counters._nacksSent++;
            }
        }
    }

    // Under _sync. A receiver report to the publisher with a block for each track it has sent on.
    private void SendReceiverReportLocked(long now)
    {
        Span<ReportBlock> blocks = stackalloc ReportBlock[4];
        int count = 0;
        foreach (PublishedTrackState track in _published)
        {
            if (count < blocks.Length && track.Statistics is not null && track.Statistics.CreateReport(now, out ReportBlock block))
            {
                blocks[count++] = block;
            }
        }

        if (count == 0)
        {
            return;
        }

        var compound = new RtcpCompoundWriter(_sendBuffer.AsSpan(0, _sendBuffer.Length - SendBufferSlack));
        if (compound.TryAdd(new ReceiverReportWriter(_relaySsrc, blocks.Slice(0, count)))
            && SendRtcpLocked(_publisher?.Transport, _sendBuffer, compound.Written))
        {
            Counters._receiverReportsSent++;
        }
    }

    // Under _sync. Sender reports to one viewer: the publisher's last report carried forward to now,
    // in the viewer's SSRC and timestamps, so the viewer can synchronise audio and video as the
    // publisher's clocks relate them.
    private void SendSenderReportsLocked(MediaSubscriber subscriber, long now)
    {
        PeerTransport? transport = subscriber.Transport;
        if (transport is null || transport.State != PeerTransportState.Connected)
        {
            return;
        }

        var compound = new RtcpCompoundWriter(_sendBuffer.AsSpan(0, _sendBuffer.Length - SendBufferSlack));
        int reports = 0;
        foreach (PublishedTrackState track in _published)
        {
            SubscriberTrackState? target = subscriber.GetTrack(track.Kind);
            OutboundSequencer? sequencer = target?.Sequencer;
            if (target is null || sequencer is null || !track.HasSenderReport)
            {
                continue;
            }

            long elapsed = Math.Max(0, now - track.SenderReportArrival);
            ulong ntp = track.SenderReportNtp + (ulong)MediaTime.Scale(elapsed, _frequency, NtpUnitsPerSecond);
            uint publisherTimestamp = track.SenderReportRtpTimestamp + (uint)MediaTime.Scale(elapsed, _frequency, track.ClockRate);
            if (!sequencer.TryTranslateTimestamp(track.Ssrc, publisherTimestamp, out uint timestamp))
            {
                continue;
            }

            if (compound.TryAdd(new SenderReportWriter(target.Ssrc, new SenderInfo(ntp, timestamp, target.PacketsSent, target.OctetsSent))))
            {
                reports++;
            }
        }

        if (reports != 0 && SendRtcpLocked(transport, _sendBuffer, compound.Written))
        {
            Counters._senderReportsSent += reports;
        }
    }

    private enum RecordedKind
    {
        Rtp,
        Rtcp,
    }

    private enum TapEvent
    {
        PublisherAttached,
        PublisherGone,
        Ended,
    }
}
