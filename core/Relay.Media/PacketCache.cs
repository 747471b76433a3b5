using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtp;

namespace Relay.Media;

/// <summary>
/// The recent packets of one received stream, decrypted (plain RTP), kept so a subscriber's NACK can
/// be answered without asking the publisher again. A ring of <see cref="Capacity"/> slots indexed by
/// the unwrapped sequence number: it holds the packets whose sequence numbers lie in the window
/// (highest - capacity, highest].
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Add(PacketLease)"/> retains the lease (the caller keeps its own reference) and releases
/// whatever falls out of the window as the highest sequence number moves on. Gaps leave slots empty,
/// late packets inside the window fill them, duplicates keep the first copy, packets older than the
/// window are refused. A forward jump of at least the capacity empties the cache and starts again from
/// the new packet. A jump backwards by more than the window looks like a restarted sequence: the
/// packet is refused, but if the next packet follows it directly the cache empties and resynchronises
/// there (the two-packet rule of RFC 3550 section A.1), so a publisher that restarts its numbering
/// under the same SSRC is not refused forever. A new SSRC should be met with <see cref="Clear"/>.
/// </para>
/// <para>
/// Single owner: the worker thread that owns the stream calls every member; nothing here is
/// synchronised. Leases handed out by <see cref="TryGet"/> are borrowed: they stay valid until the
/// owner next calls <see cref="Add(PacketLease)"/> or <see cref="Clear"/>, and a caller that keeps one
/// longer (a send queue) calls <see cref="PacketLease.Retain"/> itself.
/// </para>
/// </remarks>
public sealed class PacketCache : IDisposable
{
    /// <summary>Default number of packets: about a second of 2-3 Mbit/s video in 1200-byte packets.</summary>
    public const int DefaultCapacity = 512;

    /// <summary>The largest capacity: half the sequence number space, beyond which "newer" is ambiguous.</summary>
    public const int MaxCapacity = 32768;

    private readonly PacketLease?[] _leases;
    private readonly long[] _sequences;
    private readonly int _capacity;
    private long _highest;
    private bool _hasHighest;
    private int _count;
    private int _resyncCandidate = -1;

    /// <param name="capacity">Packets held, 1 to <see cref="MaxCapacity"/>.</param>
    public PacketCache(int capacity = DefaultCapacity)
    {
        if (capacity is < 1 or > MaxCapacity)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        }

        _capacity = capacity;
        _leases = new PacketLease?[capacity];
        _sequences = new long[capacity];
    }

    /// <summary>The number of consecutive sequence numbers the cache spans.</summary>
    public int Capacity => _capacity;

    /// <summary>Packets currently held.</summary>
    public int Count => _count;

    /// <summary>The newest sequence number added; meaningful only when <see cref="Count"/> is not 0.</summary>
    public ushort HighestSequenceNumber => (ushort)_highest;

    /// <summary>Adds a packet, reading its sequence number from its RTP header.</summary>
    public PacketCacheAddResult Add(PacketLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!RtpHeader.TryRead(lease.Span, out RtpHeader header))
        {
            return PacketCacheAddResult.NotRtp;
        }

        return Add(header.SequenceNumber, lease);
    }

    /// <summary>Adds a packet whose header the caller has already read.</summary>
    public PacketCacheAddResult Add(ushort sequenceNumber, PacketLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!_hasHighest)
        {
            Start(sequenceNumber, lease);
            return PacketCacheAddResult.Added;
        }

        long sequence = _highest + RtpArithmetic.SequenceNumberDistance((ushort)_highest, sequenceNumber);
        if (sequence > _highest)
        {
            _resyncCandidate = -1;
            if (sequence - _highest >= _capacity)
            {
                Clear();
                Start(sequenceNumber, lease);
                return PacketCacheAddResult.Added;
            }

            // Every slot between the old and new highest now belongs to a newer number: empty it.
            for (long s = _highest + 1; s <= sequence; s++)
            {
                ReleaseSlot(SlotOf(s));
            }

            _highest = sequence;
            Store(SlotOf(sequence), sequence, lease);
            return PacketCacheAddResult.Added;
        }

        if (_highest - sequence >= _capacity)
        {
            return RefuseOld(sequenceNumber, lease);
        }

        _resyncCandidate = -1;
        int slot = SlotOf(sequence);
        if (_leases[slot] is not null)
        {
            // Slots inside the window only ever hold their own number, so an occupied slot is this packet.
            return PacketCacheAddResult.Duplicate;
        }

        Store(slot, sequence, lease);
        return PacketCacheAddResult.Added;
    }

    /// <summary>
    /// Finds the packet with <paramref name="sequenceNumber"/> for a retransmission. The lease is
    /// borrowed, not retained (see the remarks on <see cref="PacketCache"/>).
    /// </summary>
    public bool TryGet(ushort sequenceNumber, [NotNullWhen(true)] out PacketLease? lease)
    {
        if (_count != 0)
        {
            long sequence = _highest + RtpArithmetic.SequenceNumberDistance((ushort)_highest, sequenceNumber);
            if (sequence <= _highest && _highest - sequence < _capacity)
            {
                int slot = SlotOf(sequence);
                lease = _leases[slot];
                if (lease is not null && _sequences[slot] == sequence)
                {
                    return true;
                }
            }
        }

        lease = null;
        return false;
    }

    /// <summary>Releases every packet and forgets the sequence numbering.</summary>
    public void Clear()
    {
        if (_count != 0)
        {
            for (int i = 0; i < _leases.Length; i++)
            {
                ReleaseSlot(i);
            }
        }

        _hasHighest = false;
        _highest = 0;
        _resyncCandidate = -1;
    }

    /// <summary>Releases every packet.</summary>
    public void Dispose() => Clear();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private PacketCacheAddResult RefuseOld(ushort sequenceNumber, PacketLease lease)
    {
        if (_resyncCandidate == sequenceNumber)
        {
            Clear();
            Start(sequenceNumber, lease);
            return PacketCacheAddResult.Added;
        }

        _resyncCandidate = (ushort)(sequenceNumber + 1);
        return PacketCacheAddResult.TooOld;
    }

    private void Start(ushort sequenceNumber, PacketLease lease)
    {
        _highest = sequenceNumber;
        _hasHighest = true;
        Store(SlotOf(sequenceNumber), sequenceNumber, lease);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(int slot, long sequence, PacketLease lease)
    {
        _leases[slot] = lease.Retain();
        _sequences[slot] = sequence;
        _count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReleaseSlot(int slot)
    {
        PacketLease? held = _leases[slot];
        if (held is not null)
        {
            _leases[slot] = null;
            _count--;
            held.Release();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(long sequence)
    {
        long slot = sequence % _capacity;
        return (int)(slot < 0 ? slot + _capacity : slot);
    }
}
