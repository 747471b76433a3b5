using System.Collections.Concurrent;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Server.Tests.Sessions;

/// <summary>An SMS provider double: records what it is asked to send and answers as told.</summary>
internal sealed class TestSmsSender : ISmsSender
{
    private int _sequence;

    public ConcurrentQueue<SmsMessage> Sent { get; } = new();

    /// <summary>What the next sends answer; null accepts each as queued.</summary>
    public SmsSendResult? Answer { get; set; }

    /// <summary>What delivery status requests answer.</summary>
    public SmsDeliveryReport Delivery { get; set; } = new(SmsDeliveryState.Queued, null, null);

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        Sent.Enqueue(message);
        return Task.FromResult(Answer ?? SmsSendResult.Sent($"SM{Interlocked.Increment(ref _sequence)}", SmsDeliveryState.Queued));
    }

    public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken) => Task.FromResult(Delivery);

    public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
}
