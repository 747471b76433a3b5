using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Relay.Plugins.Tests.Support;

/// <summary>A request as the provider's API received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string? Authorization, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the fake API answers.</summary>
public sealed record CannedResponse(int Status, string Body, string ContentType = "application/json", TimeSpan? Delay = null);

/// <summary>Kestrel on 127.0.0.1 playing a provider's API: records every request and answers with <see cref="Respond"/>.</summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHttpServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Func<RecordedRequest, CannedResponse> Respond { get; set; } = static _ => new CannedResponse(404, "");

    public Uri BaseUrl { get; private set; } = null!;

    public RecordedRequest Single => Assert.Single(Requests);

    public static async Task<LocalHttpServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new LocalHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.ContentType,
            context.Request.Headers.Authorization.Count == 0 ? null : context.Request.Headers.Authorization.ToString(),
            headers,
            body);
        Requests.Enqueue(request);
        CannedResponse response = Respond(request);
        if (response.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }
}
