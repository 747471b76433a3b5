using System.Net.WebSockets;
using Relay.Server.Location;

namespace Relay.Server.Tests.Location;

public sealed class LiveSocketTests
{
    [Fact]
    public async Task ASlowOfficerIsClosedWhileTheOthersGetEveryMessage()
    {
        var stuck = new StuckWebSocket();
        var healthy = new CountingWebSocket();
        var channel = new SessionChannel("s");
        using var slow = new LiveSocket(stuck, "slow");
        using var fast = new LiveSocket(healthy, "fast");
        channel.AddOfficer(slow);
        channel.AddOfficer(fast);
        Task slowLoop = slow.RunSendLoopAsync(CancellationToken.None);
        Task fastLoop = fast.RunSendLoopAsync(CancellationToken.None);

        int failed = 0;
        int messages = LiveSocket.SendQueueCapacity * 3;
        for (int i = 0; i < messages; i++)
        {
            failed += channel.SendToOfficers(new byte[] { (byte)'{', (byte)'}' });

            // The healthy officer keeps up: it takes each message before the next is sent (on a loaded
            // machine its send loop could otherwise fall a whole queue behind and be closed too).
            int expected = i + 1;
            Assert.True(SpinWait.SpinUntil(() => healthy.Sent >= expected, TimeSpan.FromSeconds(10)), $"The healthy officer's send loop did not take message {expected}.");
        }

        fast.Complete();
        await fastLoop.WaitAsync(TimeSpan.FromSeconds(10));
        await slowLoop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(slow.Overflowed);
        Assert.False(fast.Overflowed);
        Assert.Equal(messages, healthy.Sent);
        Assert.True(stuck.Aborted);
        Assert.True(failed >= 1);
    }

    /// <summary>A peer that never reads: every send waits until cancelled.</summary>
    private sealed class StuckWebSocket : WebSocket
    {
        public bool Aborted { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => Aborted ? WebSocketState.Aborted : WebSocketState.Open;

        public override string? SubProtocol => null;

        public override void Abort() => Aborted = true;

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private sealed class CountingWebSocket : WebSocket
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Open;

        public override string? SubProtocol => null;

        public override void Abort()
        {
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.CompletedTask;
        }
    }
}
