using System.Diagnostics;
using System.Text;
using Relay.Protocols.Buffers;

namespace Relay.Testing.Buffers;

/// <summary>
/// A packet pool for tests that fails the test on a leak or a use after return (after Kestrel's
/// <c>DiagnosticMemoryPool</c>). Every rent gets a fresh lease that is never reused, so touching a
/// returned lease always throws; returned blocks are filled with a poison byte and checked on
/// <see cref="Dispose"/>, which catches writes through a span kept past its release.
/// </summary>
public sealed class LeakCheckingPacketBufferPool : PacketBufferPool, IDisposable
{
    private const byte Poison = 0xDB;

    private readonly int _blockSize;
    private readonly Lock _lock = new();
    private readonly Dictionary<PacketLease, StackTrace> _outstanding = new(ReferenceEqualityComparer.Instance);
    private readonly List<PacketLease> _returned = [];
    private bool _disposed;

    public LeakCheckingPacketBufferPool(int blockSize = PinnedPacketBufferPool.DefaultBlockSize)
    {
        _blockSize = blockSize;
    }

    public override int BlockSize => _blockSize;

    public int Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _outstanding.Count;
            }
        }
    }

    public int RentCount { get; private set; }

    public override PacketLease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] block = new byte[_blockSize];
        Array.Fill(block, (byte)0xA5);
        PacketLease lease = CreateLease(block, 0, _blockSize);
        lock (_lock)
        {
            _outstanding.Add(lease, new StackTrace(1, fNeedFileInfo: true));
            RentCount++;
        }

        return Activate(lease);
    }

    protected override void Return(PacketLease lease)
    {
        lock (_lock)
        {
            if (!_outstanding.Remove(lease))
            {
                throw new InvalidOperationException("A lease was returned that this pool did not rent, or returned twice.");
            }

            GetBlock(lease).AsSpan().Fill(Poison);
            _returned.Add(lease);
        }
    }

    /// <summary>Throws if any lease is still rented or a returned block was written after its return.</summary>
    public void AssertClean()
    {
        lock (_lock)
        {
            if (_outstanding.Count > 0)
            {
                var message = new StringBuilder();
                message.Append(_outstanding.Count).AppendLine(" packet lease(s) were never released. Rented at:");
                foreach (StackTrace trace in _outstanding.Values.Take(5))
                {
                    message.AppendLine(trace.ToString()).AppendLine("---");
                }

                throw new InvalidOperationException(message.ToString());
            }

            foreach (PacketLease lease in _returned)
            {
                ArraySegment<byte> block = GetBlock(lease);
                int dirty = block.AsSpan().IndexOfAnyExcept(Poison);
                if (dirty >= 0)
                {
                    throw new InvalidOperationException($"A packet buffer was written at offset {dirty} after it was returned to the pool.");
                }
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AssertClean();
    }
}
