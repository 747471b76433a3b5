namespace Relay.Protocols.Rtcp;

/// <summary>What transport-wide CC feedback reports about one transport-wide sequence number.</summary>
/// <param name="SequenceNumber">The transport-wide sequence number (from the RTP header extension).</param>
/// <param name="Status">Whether it arrived, and the size of its delta.</param>
/// <param name="ReceiveDeltaTicks">Arrival minus the previous received packet's arrival (or the reference time, for the first) in 250 µs ticks; 0 if not received.</param>
/// <param name="ArrivalTimeMicroseconds">
/// Arrival time on the feedback sender's clock: reference time plus the deltas so far, in microseconds; 0 if not received.
/// </param>
public readonly record struct TransportCcPacket(ushort SequenceNumber, TransportCcStatus Status, int ReceiveDeltaTicks, long ArrivalTimeMicroseconds)
{
    public bool IsReceived => Status != TransportCcStatus.NotReceived;
}
