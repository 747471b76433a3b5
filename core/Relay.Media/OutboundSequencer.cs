using System.Numerics;
using System.Runtime.CompilerServices;
using Relay.Protocols.Rtp;

namespace Relay.Media;

/// <summary>
/// Gives one subscriber of one stream a single continuous RTP stream: its own SSRC and payload type,
/// and sequence numbers and timestamps that carry on across publisher reconnects.
/// </summary>
/// <remarks>
/// <para>
/// A source is the publisher's packets under one SSRC. The first packet of the first source gets the
/// subscriber's initial sequence number and timestamp (random by default, as RFC 3550 section 5.1
/// asks). When the source changes (a packet with a new SSRC, or any packet after
/// <see cref="SwitchSource"/> for a publisher that reconnects under the same SSRC) its first packet
/// continues the subscriber's sequence at the last number sent + 1, and its timestamp at the last
/// timestamp sent + the wall-clock time between the two packets' arrivals in clock-rate units (at least
/// 1), so the player's jitter buffer sees time move on rather than jump. Within a source the
/// mapping is a constant offset, so gaps and reordering pass through unchanged and the subscriber's
/// NACKs name real gaps. Packets older than the first packet of the current source are dropped: their
/// numbers would fall inside what was already sent, or before the subscriber's start. Late packets of
/// the previous SSRC are dropped too; a source that comes back under its previous SSRC must be
/// announced with <see cref="SwitchSource"/>.
/// </para>
/// <para>
/// Every forwarded packet is recorded in a small ring (subscriber sequence number -> publisher
/// sequence number), so a NACK from the subscriber can be turned back into the publisher's number for
/// the <see cref="PacketCache"/> lookup (<see cref="TryGetPublisherSequenceNumber"/>), and a cached
/// packet rewritten to the number the subscriber first saw (<see cref="TryRewriteRetransmission"/>).
/// Entries from an earlier source never match, since the cache of that source is gone.
/// </para>
/// <para>
/// Put a <see cref="KeyframeGate"/> in front: the sequencer numbers what it is given. Times are
/// <see cref="TimeProvider.GetTimestamp"/> ticks (normally the packet's arrival time). Single owner:
/// the worker thread that owns the stream and its subscribers calls every member.
/// </para>
/// </remarks>
public sealed class OutboundSequencer
{
    /// <summary>Default number of forwarded packets remembered for NACK translation (a power of two).</summary>
    public const int DefaultMappingCapacity = 1024;

    private readonly MappingEntry[] _mapping;
    private readonly int _mappingMask;
    private readonly long _frequency;
    private readonly uint _ssrc;
    private readonly byte _payloadType;
    private readonly int _clockRate;
    private readonly ushort _initialSequenceNumber;
    private readonly uint _initialTimestamp;

    private bool _started;
    private ushort _highestSent;
    private uint _lastTimestamp;
    private long _lastArrival;

    private bool _hasSource;
    private bool _switchPending;
    private bool _hasPreviousSource;
    private uint _sourceSsrc;
    private uint _previousSourceSsrc;
    private SequenceNumberUnwrapper _sourceSequences;
    private long _sourceFirst;
    private long _sourceHighest;
    private ushort _sourceBase;
    private uint _timestampOffset;
    private int _epoch;

    /// <param name="timeProvider">Source of the timestamp frequency the caller's times use.</param>
    /// <param name="ssrc">The SSRC the subscriber was told in its SDP answer.</param>
    /// <param name="payloadType">The payload type the subscriber negotiated for this codec (0-127).</param>
    /// <param name="clockRate">The codec's RTP clock rate (90000 for video, 48000 for Opus).</param>
    /// <param name="initialSequenceNumber">The subscriber's first sequence number.</param>
    /// <param name="initialTimestamp">The subscriber's first timestamp.</param>
    /// <param name="mappingCapacity">Forwarded packets remembered for NACKs; a power of two, 16 to 32768.</param>
    public OutboundSequencer(
        TimeProvider timeProvider,
        uint ssrc,
        byte payloadType,
        int clockRate,
        ushort initialSequenceNumber,
        uint initialTimestamp,
        int mappingCapacity = DefaultMappingCapacity)
    {
        _frequency = MediaTime.FrequencyOf(timeProvider);
        if (payloadType > 0x7F)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(payloadType));
        }

        if (clockRate <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(clockRate));
        }

        if (mappingCapacity is < 16 or > PacketCache.MaxCapacity || !BitOperations.IsPow2(mappingCapacity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(mappingCapacity));
        }

        _ssrc = ssrc;
        _payloadType = payloadType;
        _clockRate = clockRate;
        _initialSequenceNumber = initialSequenceNumber;
        _initialTimestamp = initialTimestamp;
        _mapping = new MappingEntry[mappingCapacity];
        _mappingMask = mappingCapacity - 1;
        Array.Fill(_mapping, new MappingEntry(-1, 0, 0));
    }

    /// <summary>
    /// A sequencer whose initial sequence number and timestamp come from <paramref name="random"/>. The
    /// sequence number is kept below 32768, as libwebrtc does, so the first SRTP rollover is far off for
    /// receivers that guess the rollover counter from the first packet.
    /// </summary>
    public OutboundSequencer(TimeProvider timeProvider, uint ssrc, byte payloadType, int clockRate, Random random, int mappingCapacity = DefaultMappingCapacity)
        : this(timeProvider, ssrc, payloadType, clockRate, NextSequence(random), NextTimestamp(random), mappingCapacity)
    {
    }

    public uint Ssrc => _ssrc;

    public byte PayloadType => _payloadType;

    public int ClockRate => _clockRate;

    /// <summary>Whether any packet has been forwarded yet.</summary>
    public bool HasStarted => _started;

    /// <summary>The newest sequence number sent to the subscriber; meaningful once <see cref="HasStarted"/>.</summary>
    public ushort HighestSequenceNumber => _highestSent;

    /// <summary>The timestamp of the newest packet sent; meaningful once <see cref="HasStarted"/>.</summary>
    public uint LastTimestamp => _lastTimestamp;

    /// <summary>Packets refused because they were older than their source's start or from the previous source.</summary>
    public long DroppedPackets { get; private set; }

    /// <summary>
    /// Announces that the publisher's packets now come from a new source, even under the same SSRC
    /// (a reconnect): the next packet starts it.
    /// </summary>
    public void SwitchSource() => _switchPending = true;

    /// <summary>
    /// Maps a publisher packet's header to the subscriber's. False means drop the packet: it is older
    /// than the current source's first packet, or a late packet of the previous source.
    /// </summary>
    public bool TryMap(in RtpHeader header, long arrival, out OutboundRtpHeader mapped)
    {
        if (_switchPending || !_hasSource || header.Ssrc != _sourceSsrc)
        {
            if (!_switchPending && _hasPreviousSource && header.Ssrc == _previousSourceSsrc)
            {
                return Drop(out mapped);
            }

            BeginSource(header, arrival);
        }

        ushort sequenceNumber = header.SequenceNumber;
        long sequence = _sourceSequences.PeekUnwrap(sequenceNumber);
        if (sequence < _sourceFirst)
        {
            return Drop(out mapped);
        }

        _sourceSequences.Unwrap(sequenceNumber);
        ushort outSequence = (ushort)(_sourceBase + (sequence - _sourceFirst));
        uint outTimestamp = header.Timestamp + _timestampOffset;
        if (sequence > _sourceHighest)
        {
            _sourceHighest = sequence;
            _highestSent = outSequence;
            _lastTimestamp = outTimestamp;
            _lastArrival = arrival;
        }

        _mapping[outSequence & _mappingMask] = new MappingEntry(outSequence, sequenceNumber, _epoch);
        mapped = new OutboundRtpHeader(outSequence, outTimestamp, _ssrc, _payloadType);
        return true;
    }

    /// <summary>
    /// Rewrites a publisher packet in place (normally the subscriber's own copy, which SRTP then
    /// encrypts). False means drop it: not RTP, or refused as <see cref="TryMap"/> describes.
    /// </summary>
    public bool TryRewrite(Span<byte> packet, long arrival)
    {
        if (!RtpHeader.TryRead(packet, out RtpHeader header))
        {
            return false;
        }

        return TryMap(header, arrival, out OutboundRtpHeader mapped) && mapped.TryWriteTo(packet);
    }

    /// <summary>
    /// The publisher's sequence number for the packet this subscriber received as
    /// <paramref name="subscriberSequenceNumber"/> (from its NACK), for the cache lookup. False if that
    /// number was not forwarded from the current source, or has left the mapping ring.
    /// </summary>
    public bool TryGetPublisherSequenceNumber(ushort subscriberSequenceNumber, out ushort publisherSequenceNumber)
    {
        MappingEntry entry = _mapping[subscriberSequenceNumber & _mappingMask];
        if (entry.Subscriber == subscriberSequenceNumber && entry.Epoch == _epoch && _hasSource)
        {
            publisherSequenceNumber = entry.Publisher;
            return true;
        }

        publisherSequenceNumber = 0;
        return false;
    }

    /// <summary>
    /// Rewrites a copy of a cached publisher packet for retransmission with the header the subscriber
    /// saw the first time. False, with nothing written, if the packet is not RTP or was not forwarded
    /// to this subscriber from the current source (so it is never sent a number it did not have).
    /// </summary>
    public bool TryRewriteRetransmission(Span<byte> packet)
    {
        if (!RtpHeader.TryRead(packet, out RtpHeader header) || !_hasSource || header.Ssrc != _sourceSsrc)
        {
            return false;
        }

        long sequence = _sourceSequences.PeekUnwrap(header.SequenceNumber);
        if (sequence < _sourceFirst || sequence > _sourceHighest)
        {
            return false;
        }

        ushort outSequence = (ushort)(_sourceBase + (sequence - _sourceFirst));
        MappingEntry entry = _mapping[outSequence & _mappingMask];
        if (entry.Subscriber != outSequence || entry.Epoch != _epoch || entry.Publisher != header.SequenceNumber)
        {
            return false;
        }

        var mapped = new OutboundRtpHeader(outSequence, header.Timestamp + _timestampOffset, _ssrc, _payloadType);
        return mapped.TryWriteTo(packet);
    }

    /// <summary>
    /// The subscriber's timestamp for <paramref name="timestamp"/> of the current source, whose SSRC is
    /// <paramref name="sourceSsrc"/>: for translating the publisher's sender reports. False before the
    /// source's first packet, while a switch is pending, or for another SSRC.
    /// </summary>
    public bool TryTranslateTimestamp(uint sourceSsrc, uint timestamp, out uint translated)
    {
        if (!_hasSource || _switchPending || sourceSsrc != _sourceSsrc)
        {
            translated = 0;
            return false;
        }

        translated = timestamp + _timestampOffset;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BeginSource(in RtpHeader header, long arrival)
    {
        if (_hasSource && header.Ssrc != _sourceSsrc)
        {
            _previousSourceSsrc = _sourceSsrc;
            _hasPreviousSource = true;
        }

        _hasSource = true;
        _switchPending = false;
        _sourceSsrc = header.Ssrc;
        _epoch++;
        _sourceSequences.Reset();
        _sourceFirst = _sourceSequences.Unwrap(header.SequenceNumber);
        _sourceHighest = _sourceFirst - 1;

        if (!_started)
        {
            _started = true;
            _sourceBase = _initialSequenceNumber;
            _timestampOffset = _initialTimestamp - header.Timestamp;
            return;
        }

        _sourceBase = (ushort)(_highestSent + 1);
        long elapsed = Math.Max(0, arrival - _lastArrival);
        long units = Math.Max(1, MediaTime.Scale(elapsed, _frequency, _clockRate));
        _timestampOffset = _lastTimestamp + (uint)units - header.Timestamp;
    }

    private bool Drop(out OutboundRtpHeader mapped)
    {
        DroppedPackets++;
        mapped = default;
        return false;
    }

    private static ushort NextSequence(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return (ushort)random.Next(0x8000);
    }

    private static uint NextTimestamp(Random random) => (uint)random.NextInt64(0x1_0000_0000L);

    private readonly struct MappingEntry(int subscriber, ushort publisher, int epoch)
    {
        public readonly int Subscriber = subscriber;
        public readonly ushort Publisher = publisher;
        public readonly int Epoch = epoch;
    }
}
