using Microsoft.Extensions.DependencyInjection;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting;
using Relay.Plugins.Sms.Outbox;
using Relay.Plugins.Tests.Support;

namespace Relay.Plugins.Tests.Hosting;

public sealed class PluginServiceCollectionExtensionsTests : IDisposable
{
    private readonly PluginFolders _folders = new PluginFolders().AddProviders();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task AddRelayPlugins_ByDefault_SendsThroughTheOutboxUnderTheDataDirectory()
    {
        string data = Path.Combine(_folders.Root, "data");
        await using ServiceProvider services = _folders.BuildServices(new() { ["Relay:DataDirectory"] = data });

        SmsSendResult result = await services.GetRequiredService<ISmsSender>().SendAsync(new SmsMessage("+447700900123", "Open https://relay.example/c/abc", "session-1"), default);

        Assert.True(result.Accepted, result.Error);
        Assert.Equal("Open https://relay.example/c/abc", new OutboxReader(Path.Combine(data, OutboxReader.DefaultFileName)).FindLastByReference("session-1")?.Body);
        PluginCatalog catalog = services.GetRequiredService<PluginCatalog>();
        Assert.Equal(4, catalog.Plugins.Count);
        Assert.Empty(catalog.Failures);
    }

    [Fact]
    public async Task AddRelayPlugins_UsesTheConfiguredProviderAndItsSection()
    {
        await using LocalHttpServer server = await LocalHttpServer.StartAsync();
        server.Respond = _ => new CannedResponse(200, """{"message-count":"1","messages":[{"to":"447700900123","message-id":"0A01","status":"0"}]}""");
        await using ServiceProvider services = _folders.BuildServices(new()
        {
            ["Relay:Sms:Provider"] = "Vonage",
            ["Relay:Sms:Providers:vonage:ApiKey"] = "key",
            ["Relay:Sms:Providers:vonage:ApiSecret"] = "secret",
            ["Relay:Sms:Providers:vonage:From"] = "Police",
            ["Relay:Sms:Providers:vonage:BaseUrl"] = server.BaseUrl.ToString(),
        });

        SmsSendResult result = await services.GetRequiredService<ISmsSender>().SendAsync(new SmsMessage("+447700900123", "x", "s"), default);

        Assert.True(result.Accepted, result.Error);
        Assert.Equal("0A01", result.ProviderMessageId);
        Assert.Contains("from=Police", server.Single.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRelayPlugins_AMisconfiguredProvider_DoesNotStopTheHost()
    {
        await using ServiceProvider services = _folders.BuildServices(new() { ["Relay:Sms:Provider"] = "twilio" });

        ISmsSender sender = services.GetRequiredService<ISmsSender>();
        SmsSendResult result = await sender.SendAsync(new SmsMessage("+447700900123", "x", "s"), default);

        Assert.False(result.Accepted);
        Assert.Contains("Relay:Sms:Providers:twilio:AccountSid", result.Error, StringComparison.Ordinal);
        Assert.Contains(services.GetRequiredService<PluginCatalog>().Failures, static f => f.Source == "twilio");
    }
}
