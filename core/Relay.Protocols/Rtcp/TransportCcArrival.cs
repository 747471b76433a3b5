namespace Relay.Protocols.Rtcp;

/// <summary>One packet to report in transport-wide CC feedback written by <see cref="TransportCcFeedbackWriter"/>.</summary>
/// <param name="SequenceNumber">The transport-wide sequence number.</param>
/// <param name="IsReceived">Whether it arrived; a sequence number left out of the list counts as not received too.</param>
/// <param name="ArrivalTimeMicroseconds">Arrival on the local monotonic clock, in microseconds; ignored if not received.</param>
public readonly record struct TransportCcArrival(ushort SequenceNumber, bool IsReceived, long ArrivalTimeMicroseconds);
