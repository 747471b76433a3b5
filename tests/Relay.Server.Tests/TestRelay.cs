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
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The relay's own data directory (its SQLite database), deleted when the relay is disposed unless passed in.</summary>
    public string DataDirectory { get; }

    private bool OwnsDataDirectory { get; init; }

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

    /// <summary>Starts a relay with a fresh data directory; <paramref name="extraArgs"/> come after the defaults and so override them.</summary>
    public static Task<TestRelay> StartAsync(params string[] extraArgs) => StartCoreAsync(null, null, extraArgs);

    /// <summary>Starts a relay on <paramref name="dataDirectory"/>, which is kept afterwards (a restart is a second relay on it).</summary>
    public static Task<TestRelay> StartOnAsync(string dataDirectory, params string[] extraArgs) => StartCoreAsync(dataDirectory, null, extraArgs);

    /// <summary>Starts a relay whose services <paramref name="configure"/> adds to (test doubles of external services such as SMS).</summary>
    public static Task<TestRelay> StartWithAsync(Action<IServiceCollection> configure, string? dataDirectory, string[] extraArgs) =>
        StartCoreAsync(dataDirectory, configure, extraArgs);

    private static async Task<TestRelay> StartCoreAsync(string? dataDirectory, Action<IServiceCollection>? configure, string[] extraArgs)
    {
        bool owned = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("relay-server-test-").FullName;
        WebApplication app = Program.CreateApp([.. DefaultArgs, "--Relay:DataDirectory=" + dataDirectory, .. extraArgs], configure);
        try
        {
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TestRelay(app, new Uri(address), dataDirectory) { OwnsDataDirectory = owned };
        }
        catch
        {
            await app.DisposeAsync();
            DeleteDirectory(dataDirectory, owned);
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
        DeleteDirectory(DataDirectory, OwnsDataDirectory);
    }

    private static void DeleteDirectory(string directory, bool owned)
    {
        if (!owned)
        {
            return;
        }

        // Pooled SQLite connections hold the files open until cleared.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Another relay in this process still has a pooled connection; the OS temp cleaner gets it.
        }
    }
}
