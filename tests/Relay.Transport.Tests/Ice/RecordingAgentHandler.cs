using System.Collections.Concurrent;
using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

/// <summary>
/// Stands in for the peer transport above an ICE-lite agent: releases every datagram it is given
/// and records what it saw. With <c>keepCopies: false</c> it records nothing that allocates.
/// </summary>
internal sealed class RecordingAgentHandler(bool keepCopies = true) : IIceLiteAgentHandler
{
    private readonly TaskCompletionSource _consentLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _datagramCount;

    public ConcurrentQueue<(byte[] Datagram, PacketKind Kind)> Datagrams { get; } = new();

    public ConcurrentQueue<StunTransportAddress> SelectedAddresses { get; } = new();

    public int DatagramCount => Volatile.Read(ref _datagramCount);

    public int ConsentLostCount { get; private set; }

    public Task ConsentLost => _consentLost.Task;

    public void OnDatagram(IceLiteAgent agent, PacketLease datagram, PacketKind kind)
    {
        if (keepCopies)
        {
            Datagrams.Enqueue((datagram.Span.ToArray(), kind));
        }

        Interlocked.Increment(ref _datagramCount);
        datagram.Release();
    }

    public void OnSelectedAddressChanged(IceLiteAgent agent, StunTransportAddress address) => SelectedAddresses.Enqueue(address);

    public void OnConsentLost(IceLiteAgent agent)
    {
        ConsentLostCount++;
        _consentLost.TrySetResult();
    }
}
