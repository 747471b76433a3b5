using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Relay.Server.Tests;

/// <summary>
/// The real relay, started in-process on 127.0.0.1 with an HTTP port and a UDP media port the
/// system picks, and an HttpClient pointed at it. Keys: <see cref="OfficerKey"/>,
/// <see cref="PublisherKey"/>, <see cref="OperatorKey"/>.
/// </summary>
internal sealed class TestRelay : IAsyncDisposable
{
    public const string OfficerKey = "officer-key-0123456789abcdef";
    public const string PublisherKey = "publisher-key-0123456789abcdef";
    public const string OperatorKey = "operator-key-0123456789abcdef";

    private readonly string _data;

    private TestRelay(WebApplication app, Uri baseAddress, string data)
    {
        _data = data;
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    public static string[] DefaultArgs =>
    [
        "--urls=http://127.0.0.1:0",
        "--Logging:LogLevel:Default=Warning",
        "--Relay:Media:Port=0",
        "--Relay:Media:BindAddress=127.0.0.1",
        "--Relay:ApiKeys:0:Name=cad",
        "--Relay:ApiKeys:0:Role=officer",
        "--Relay:ApiKeys:0:Key=" + OfficerKey,
        "--Relay:ApiKeys:1:Name=obs",
        "--Relay:ApiKeys:1:Role=publisher",
        "--Relay:ApiKeys:1:Key=" + PublisherKey,
        "--Relay:ApiKeys:2:Name=prometheus",
        "--Relay:ApiKeys:2:Role=operator",
        "--Relay:ApiKeys:2:Key=" + OperatorKey,
    ];

    /// <summary>Starts a relay; <paramref name="extraArgs"/> come after the defaults and so override them.</summary>
    public static async Task<TestRelay> StartAsync(params string[] extraArgs)
    {
        // Recordings and the evidence key go to a folder of this relay's own, not the working directory.
        string data = Path.Combine(Path.GetTempPath(), "relay-server-tests", Guid.NewGuid().ToString("N"));
        WebApplication app = Program.CreateApp(
            [.. DefaultArgs, "--Relay:Recording:Directory=" + Path.Combine(data, "recordings"), "--Relay:Recording:SigningKeyPath=" + Path.Combine(data, "evidence.pem"), .. extraArgs]);
        try
        {
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TestRelay(app, new Uri(address), data);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateClient(string bearer)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
