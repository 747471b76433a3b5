using Microsoft.Extensions.DependencyInjection;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting;
using Relay.Plugins.Hosting.Sms;
using Relay.Plugins.Tests.Support;

namespace Relay.Plugins.Tests.Hosting.Sms;

public sealed class SmsProviderTests : IDisposable
{
    private readonly PluginFolders _folders = new PluginFolders().AddProviders();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Reload_SendsTheNextMessageWithTheChangedSettingsLaidOverTheConfiguredOnes()
    {
        await using LocalHttpServer server = await LocalHttpServer.StartAsync();
        server.Respond = _ => new CannedResponse(200, """{"message-count":"1","messages":[{"to":"447700900123","message-id":"0A01","status":"0"}]}""");
        await using ServiceProvider services = _folders.BuildServices(new()
        {
            ["Relay:Sms:Provider"] = "vonage",
            ["Relay:Sms:Providers:vonage:ApiKey"] = "key",
            ["Relay:Sms:Providers:vonage:ApiSecret"] = "old-secret",
            ["Relay:Sms:Providers:vonage:From"] = "Police",
            ["Relay:Sms:Providers:vonage:BaseUrl"] = server.BaseUrl.ToString(),
        });
        SmsProvider provider = services.GetRequiredService<SmsProvider>();
        Assert.Same(provider, services.GetRequiredService<ISmsSender>());

        provider.Reload(new Dictionary<string, string> { ["from"] = "Relay", ["ApiSecret"] = "new-secret" });
        SmsSendResult result = await provider.SendAsync(new SmsMessage("+447700900123", "x", "s"), default);

        Assert.True(result.Accepted, result.Error);
        Assert.Contains("from=Relay", server.Single.Body, StringComparison.Ordinal);
        Assert.Contains("api_secret=new-secret", server.Single.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckSmsSettings_SaysWhatThePluginRefuses_WithoutTheSecretsValue()
    {
        await using ServiceProvider services = _folders.BuildServices([]);
        PluginCatalog catalog = services.GetRequiredService<PluginCatalog>();

        string? missing = catalog.CheckSmsSettings("twilio", new Dictionary<string, string?> { ["AuthToken"] = "tok-secret-value" });
        string? refused = catalog.CheckSmsSettings("twilio", new Dictionary<string, string?>
        {
            ["AccountSid"] = "AC1",
            ["AuthToken"] = "tok-secret-value",
            ["From"] = "+447700900000",
            ["BaseUrl"] = "tok-secret-value",
        });
        string? accepted = catalog.CheckSmsSettings("twilio", new Dictionary<string, string?> { ["AccountSid"] = "AC1", ["AuthToken"] = "tok", ["From"] = "+447700900000" });

        Assert.Equal("twilio needs AccountSid.", missing);
        Assert.NotNull(refused);
        Assert.Contains("BaseUrl must be an absolute http(s) URL", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret-value", refused, StringComparison.Ordinal);
        Assert.Null(accepted);
        Assert.Empty(catalog.Failures);
    }
}
