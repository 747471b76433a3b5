using System.Buffers.Binary;
using System.Diagnostics;
using Relay.Protocols.Buffers;
using Relay.Transport.Dtls;
using Relay.Transport.Peers;

namespace Relay.Load;

/// <summary>
/// An officer's player as the relay sees it: receives the forwarded stream, counts packets and gaps in
/// the relay's sequence numbers, and records how long each packet took from the publisher's send to
/// here. Everything runs on the viewer's own socket worker, so the counters need no locks.
/// </summary>
internal sealed class SyntheticViewer(DtlsCertificate certificate, PacketBufferPool pool) : SyntheticPeer(certificate, pool)
{
    private long _highest = -1;
    private long _first = -1;
    private long _received;
    private long _measuring;

    public LatencyHistogram Latency { get; } = new();

    public long PacketsReceived => Volatile.Read(ref _received);

    /// <summary>Packets the relay's sequence numbers say were sent to this viewer since its first.</summary>
    public long PacketsExpected => _first < 0 ? 0 : Volatile.Read(ref _highest) - _first + 1;

    /// <summary>Latency is recorded only between <see cref="StartMeasuring"/> and <see cref="StopMeasuring"/> (past the warm-up).</summary>
    public void StartMeasuring() => Volatile.Write(ref _measuring, 1);

    public void StopMeasuring() => Volatile.Write(ref _measuring, 0);

    public override void OnRtp(PeerTransport peer, PacketLease packet)
    {
        ReadOnlySpan<byte> data = packet.Span;
        if (data.Length >= 12)
        {
            long sequence = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            if (_highest < 0)
            {
                _first = sequence;
                _highest = sequence;
            }
            else
            {
                // Unwrap against the highest seen (packets on loopback arrive nearly in order).
                long delta = (ushort)(sequence - (ushort)_highest);
                if (delta < 0x8000)
                {
                    _highest += delta;
                }
            }

            if (Volatile.Read(ref _measuring) != 0)
            {
                long sent = SyntheticPublisher.ReadSendTime(data);
                Latency.Record(Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
            }

            Volatile.Write(ref _received, _received + 1);
        }

        packet.Release();
    }

    public override void OnRtcp(PeerTransport peer, PacketLease packet) => packet.Release();
}
