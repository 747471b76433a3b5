using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Relay.Server.Tests.Location;

/// <summary>A client of the location WebSockets: connects with a Bearer, sends text, reads JSON messages.</summary>
internal sealed class TestSocket : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;

    private TestSocket(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public static async Task<TestSocket> ConnectAsync(Uri baseAddress, string path, string bearer)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        var uri = new Uri(baseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + path);
        using var timeout = new CancellationTokenSource(s_timeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestSocket(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public Task SendJsonAsync(object message) => SendAsync(JsonSerializer.Serialize(message));

    /// <summary>The next message; null when the relay closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        using var message = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Reads until a message of <paramref name="type"/> that satisfies <paramref name="match"/>; fails on close.</summary>
    public async Task<JsonElement> WaitForAsync(string type, Func<JsonElement, bool>? match = null)
    {
        while (true)
        {
            JsonElement? message = await ReceiveAsync();
            Assert.True(message is not null, $"The relay closed the socket while a '{type}' message was awaited.");
            if (message.Value.GetProperty("type").GetString() == type && (match is null || match(message.Value)))
            {
                return message.Value;
            }
        }
    }

    /// <summary>Reads until the relay closes the socket.</summary>
    public async Task WaitForCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (WebSocketException)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
