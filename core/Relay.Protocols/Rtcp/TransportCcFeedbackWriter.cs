using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes transport-wide CC feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1)
/// from the caller's list of packets and arrival times.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk      ... |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  recv delta   |   recv delta (large, 2 bytes) |  ...          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ...          |         zero padding                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The chunk layouts are on <see cref="TransportCcFeedback"/>.
/// <para>
/// The list runs in increasing transport-wide sequence number (wrapping after 65535); numbers missing
/// between entries are reported as not received. The reference time is the first received arrival
/// rounded down to 64 ms; every arrival is rounded to the nearest 250 µs tick from there, and each delta
/// is the difference of those rounded times, so errors do not add up along the packet.
/// </para>
/// <para>
/// One feedback can only describe deltas that fit 16 signed bits (about ±8.2 s between consecutive
/// received packets) and at most 65535 sequence numbers. <see cref="GetEncodableCount"/> says how many
/// leading entries fit; write those, then start the next feedback at the rest.
/// </para>
/// <para>
/// Chunks are chosen greedily: a run of 14 or more equal symbols (or all that remain) becomes a run
/// length chunk; otherwise 14 symbols with no large delta become a 1-bit vector, a run of 7 or more a
/// run length chunk, and anything else a 2-bit vector of 7. Padding is zero bytes to a 32-bit boundary,
/// as the draft's diagram shows, leaving the P bit clear so the packet can sit anywhere in a compound.
/// </para>
/// </remarks>
public readonly ref struct TransportCcFeedbackWriter : IRtcpPacketWriter
{
    private const int FixedLength = RtcpHeader.FeedbackHeaderLength + TransportCcFeedback.FixedFciLength;
    private const int HalfTick = TransportCcFeedback.DeltaTickMicroseconds / 2;

    private readonly ReadOnlySpan<TransportCcArrival> _packets;
    private readonly long _origin;
    private readonly int _statusCount;
    private readonly int _chunkCount;
    private readonly int _deltasLength;

    /// <param name="senderSsrc">The SSRC of the receiver sending feedback.</param>
    /// <param name="mediaSsrc">The media source field; feedback covers every stream on the transport, so receivers do not rely on it.</param>
    /// <param name="feedbackPacketCount">A counter the caller increments with each feedback sent.</param>
    /// <param name="packets">At least one entry, in increasing sequence number, all encodable (see <see cref="GetEncodableCount"/>).</param>
    public TransportCcFeedbackWriter(uint senderSsrc, uint mediaSsrc, byte feedbackPacketCount, ReadOnlySpan<TransportCcArrival> packets)
    {
        if (packets.IsEmpty)
        {
            ThrowHelper.ThrowArgument("Transport-wide CC feedback reports at least one packet.", nameof(packets));
        }

        if (GetEncodableCount(packets) != packets.Length)
        {
            ThrowHelper.ThrowArgument(
                "The packets are out of order, span more than 65535 sequence numbers, or hold a delta beyond 16 bits; use GetEncodableCount to split them.",
                nameof(packets));
        }

        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        FeedbackPacketCount = feedbackPacketCount;
        _packets = packets;
        _origin = FindOrigin(packets);
        _statusCount = (ushort)(packets[^1].SequenceNumber - packets[0].SequenceNumber) + 1;
        _chunkCount = EncodeChunks(packets, _origin, _statusCount, default);
        _deltasLength = WriteDeltas(packets, _origin, default);
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public byte FeedbackPacketCount { get; }

    /// <summary>The first sequence number reported.</summary>
    public ushort BaseSequenceNumber => _packets[0].SequenceNumber;

    /// <summary>Sequence numbers reported, gaps included.</summary>
    public int PacketStatusCount => _statusCount;

    /// <summary>The reference time as written, in 64 ms units on the caller's clock, read back as signed 24-bit.</summary>
    public int ReferenceTime => (int)((_origin / TransportCcFeedback.ReferenceTimeUnitMicroseconds) << 40 >> 40);

    public int GetSerializedLength() => RtcpHeader.AlignTo32Bits(FixedLength + (_chunkCount * 2) + _deltasLength);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.WriteFeedback(destination, RtcpPacketType.TransportLayerFeedback, (int)TransportLayerFeedbackFormat.TransportCc, length, SenderSsrc, MediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(12), BaseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(14), (ushort)_statusCount);
        uint referenceTime = (uint)(_origin / TransportCcFeedback.ReferenceTimeUnitMicroseconds) & 0xFFFFFF;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), (referenceTime << 8) | FeedbackPacketCount);
        int chunksEnd = FixedLength + (_chunkCount * 2);
        EncodeChunks(_packets, _origin, _statusCount, destination.Slice(FixedLength, _chunkCount * 2));
        int deltasEnd = chunksEnd + WriteDeltas(_packets, _origin, destination.Slice(chunksEnd, _deltasLength));
        destination.Slice(deltasEnd, length - deltasEnd).Clear();
        written = length;
        return true;
    }

    /// <summary>
    /// How many leading entries of <paramref name="packets"/> one feedback can carry: they must be in
    /// increasing sequence number (no repeats), span at most 65535 numbers, and have every delta between
    /// consecutive received packets within 16 signed bits of 250 µs ticks.
    /// </summary>
    public static int GetEncodableCount(ReadOnlySpan<TransportCcArrival> packets)
    {
        if (packets.IsEmpty)
        {
            return 0;
        }

        long origin = FindOrigin(packets);
        long lastTicks = 0;
        int span = 0;
        for (int i = 0; i < packets.Length; i++)
        {
            if (i > 0)
            {
                // A step of half the sequence space or more is a step backwards.
                int step = (ushort)(packets[i].SequenceNumber - packets[i - 1].SequenceNumber);
                span += step;
                if (step == 0 || step >= 0x8000 || span > ushort.MaxValue - 1)
                {
                    return i;
                }
            }

            if (packets[i].IsReceived)
            {
                long ticks = ToTicks(packets[i].ArrivalTimeMicroseconds, origin);
                long delta = ticks - lastTicks;
                if (delta < short.MinValue || delta > short.MaxValue)
                {
                    return i;
                }

                lastTicks = ticks;
            }
        }

        return packets.Length;
    }

    /// <summary>The first received arrival rounded down to a reference time unit, or 0 if nothing was received.</summary>
    private static long FindOrigin(ReadOnlySpan<TransportCcArrival> packets)
    {
        foreach (TransportCcArrival packet in packets)
        {
            if (packet.IsReceived)
            {
                return Math.DivRem(packet.ArrivalTimeMicroseconds, TransportCcFeedback.ReferenceTimeUnitMicroseconds, out long remainder) * TransportCcFeedback.ReferenceTimeUnitMicroseconds
                    - (remainder < 0 ? TransportCcFeedback.ReferenceTimeUnitMicroseconds : 0);
            }
        }

        return 0;
    }

    /// <summary>Arrival in whole ticks from the origin, rounded to nearest (ties up).</summary>
    private static long ToTicks(long arrival, long origin)
    {
        long offset = arrival - origin + HalfTick;
        long ticks = Math.DivRem(offset, TransportCcFeedback.DeltaTickMicroseconds, out long remainder);
        return remainder < 0 ? ticks - 1 : ticks;
    }

    /// <summary>Writes one receive delta per received packet when <paramref name="destination"/> is not empty; returns their bytes.</summary>
    private static int WriteDeltas(ReadOnlySpan<TransportCcArrival> packets, long origin, Span<byte> destination)
    {
        int offset = 0;
        long lastTicks = 0;
        foreach (TransportCcArrival packet in packets)
        {
            if (!packet.IsReceived)
            {
                continue;
            }

            long ticks = ToTicks(packet.ArrivalTimeMicroseconds, origin);
            int delta = (int)(ticks - lastTicks);
            lastTicks = ticks;
            if (delta is >= 0 and <= byte.MaxValue)
            {
                if (!destination.IsEmpty)
                {
                    destination[offset] = (byte)delta;
                }

                offset += 1;
            }
            else
            {
                if (!destination.IsEmpty)
                {
                    BinaryPrimitives.WriteInt16BigEndian(destination.Slice(offset), (short)delta);
                }

                offset += 2;
            }
        }

        return offset;
    }

    /// <summary>Chooses the chunks, writing them when <paramref name="destination"/> is not empty; returns the chunk count.</summary>
    private static int EncodeChunks(ReadOnlySpan<TransportCcArrival> packets, long origin, int statusCount, Span<byte> destination)
    {
        var cursor = new StatusCursor(packets, origin);
        int chunkCount = 0;
        while (cursor.Position < statusCount)
        {
            int remaining = statusCount - cursor.Position;
            int window = Math.Min(14, remaining);

            // Look ahead on a copy: the run of the first symbol, and the next 14 symbols two bits each.
            StatusCursor ahead = cursor;
            int first = ahead.Next();
            int symbols = first;
            int run = 1;
            bool runOpen = true;
            bool fitsOneBit = first <= 1;
            for (int i = 1; i < Math.Min(remaining, TransportCcFeedback.MaxRunLength) && (runOpen || i < window); i++)
            {
                int symbol = ahead.Next();
                if (i < window)
                {
                    symbols |= symbol << (2 * i);
                    fitsOneBit &= symbol <= 1;
                }

                if (runOpen && symbol == first)
                {
                    run++;
                }
                else
                {
                    runOpen = false;
                }
            }

            int chunk;
            int taken;
            if (run >= 14 || run == remaining || (!fitsOneBit && run >= 7))
            {
                chunk = (first << 13) | run;
                taken = run;
            }
            else if (fitsOneBit)
            {
                chunk = 0x8000;
                for (int i = 0; i < window; i++)
                {
                    chunk |= ((symbols >> (2 * i)) & 1) << (13 - i);
                }

                taken = window;
            }
            else
            {
                taken = Math.Min(7, remaining);
                chunk = 0xC000;
                for (int i = 0; i < taken; i++)
                {
                    chunk |= ((symbols >> (2 * i)) & 3) << (12 - (2 * i));
                }
            }

            if (!destination.IsEmpty)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(chunkCount * 2), (ushort)chunk);
            }

            chunkCount++;
            for (int i = 0; i < taken; i++)
            {
                cursor.Next();
            }
        }

        return chunkCount;
    }

    /// <summary>Yields the status symbol of each sequence number from the base in turn, gaps as not received.</summary>
    private ref struct StatusCursor
    {
        private readonly ReadOnlySpan<TransportCcArrival> _packets;
        private readonly long _origin;
        private readonly ushort _base;
        private int _index;
        private long _lastTicks;

        public StatusCursor(ReadOnlySpan<TransportCcArrival> packets, long origin)
        {
            _packets = packets;
            _origin = origin;
            _base = packets[0].SequenceNumber;
            _index = 0;
            _lastTicks = 0;
            Position = 0;
        }

        /// <summary>Sequence numbers from the base already yielded.</summary>
        public int Position { get; private set; }

        public int Next()
        {
            int symbol = (int)TransportCcStatus.NotReceived;
            TransportCcArrival packet = _packets[_index];
            if ((ushort)(packet.SequenceNumber - _base) == Position)
            {
                _index++;
                if (packet.IsReceived)
                {
                    long ticks = ToTicks(packet.ArrivalTimeMicroseconds, _origin);
                    long delta = ticks - _lastTicks;
                    _lastTicks = ticks;
                    symbol = delta is >= 0 and <= byte.MaxValue ? (int)TransportCcStatus.ReceivedSmallDelta : (int)TransportCcStatus.ReceivedLargeDelta;
                }
            }

            Position++;
            return symbol;
        }
    }
}
