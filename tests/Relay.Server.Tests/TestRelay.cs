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

    private TestRelay(WebApplication app, Uri baseAddress, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>This relay's own folder for its database and cookie keys, removed when it stops.</summary>
    public string DataDirectory { get; }

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
    public static Task<TestRelay> StartAsync(params string[] extraArgs) => StartAsync(static _ => { }, extraArgs);

    /// <summary>Starts a relay after <paramref name="configure"/> has added to it (a test endpoint).</summary>
    public static async Task<TestRelay> StartAsync(Action<WebApplication> configure, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(configure);
        string data = Directory.CreateTempSubdirectory("relay-server-").FullName;
        WebApplication app = Program.CreateApp([.. DefaultArgs, "--Relay:DataDirectory=" + data, .. extraArgs]);
        try
        {
            configure(app);
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TestRelay(app, new Uri(address), data);
        }
        catch
        {
            await app.DisposeAsync();
            DeleteDirectory(data);
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
        DeleteDirectory(DataDirectory);
    }

    private static void DeleteDirectory(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A connection another test still holds keeps the file; the temp folder is cleaned later.
        }
    }
}
