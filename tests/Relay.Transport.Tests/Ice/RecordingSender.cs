using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Ice;

/// <summary>
/// An <see cref="IDatagramSender"/> that keeps what is sent instead of sending it. With
/// <c>keepCopies: false</c> it only counts and keeps the last datagram in a fixed buffer, so the
/// zero-allocation tests can use it.
/// </summary>
internal sealed class RecordingSender(bool keepCopies = true) : IDatagramSender
{
    private readonly Lock _lock = new();
    private readonly List<(byte[] Datagram, StunTransportAddress Destination)> _sent = [];
    private readonly byte[] _last = new byte[2048];
    private int _lastLength;

    public int Count { get; private set; }

    public StunTransportAddress LastDestination { get; private set; }

    public ReadOnlySpan<byte> Last => _last.AsSpan(0, _lastLength);

    public IReadOnlyList<(byte[] Datagram, StunTransportAddress Destination)> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public bool TrySend(ReadOnlySpan<byte> datagram, in StunTransportAddress destination)
    {
        lock (_lock)
        {
            datagram.CopyTo(_last);
            _lastLength = datagram.Length;
            LastDestination = destination;
            Count++;
            if (keepCopies)
            {
                _sent.Add((datagram.ToArray(), destination));
            }
        }

        return true;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _sent.Clear();
            Count = 0;
            _lastLength = 0;
        }
    }
}
