using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Twilio's REST API as far as the Twilio SMS plugin uses it, on a loopback port: every message is
/// queued (201, ids SM...1, SM...2, ... in order), the account answers with <paramref name="accountStatus"/>, anything else is Twilio's 404.
/// Every request is kept for the test to check.
/// </summary>
public sealed class TwilioStub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _accountSid;
    private readonly string _accountStatus;
    private int _messages;
    private Task? _serving;

    public TwilioStub(string accountSid, string accountStatus)
    {
        _accountSid = accountSid;
        _accountStatus = accountStatus;
        BaseAddress = $"http://127.0.0.1:{FreePort.Tcp()}/";
        _listener.Prefixes.Add(BaseAddress);
    }

    public string BaseAddress { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public void Start()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _serving?.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            string path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue(new Request(context.Request.HttpMethod, path, context.Request.Headers["Authorization"], body));
            (int status, string json) = context.Request.HttpMethod == "POST" && path.EndsWith("/Messages.json", StringComparison.Ordinal)
                ? (201, $"{{\"sid\":\"SM{++_messages:D31}\",\"status\":\"queued\"}}")
                : path == $"/2010-04-01/Accounts/{_accountSid}.json"
                    ? (200, $"{{\"sid\":\"{_accountSid}\",\"status\":\"{_accountStatus}\"}}")
                    : (404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public sealed record Request(string Method, string Path, string? Authorization, string Body);
}
