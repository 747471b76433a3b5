using System.Runtime.Loader;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting;
using Relay.Plugins.Sms.Outbox;
using Relay.Plugins.Tests.Support;

namespace Relay.Plugins.Tests.Hosting;

public sealed class PluginCatalogTests : IDisposable
{
    private static readonly HttpClient s_http = new();
    private readonly PluginFolders _folders = new();
    private readonly CapturingLoggerProvider _log = new();

    public void Dispose()
    {
        _log.Dispose();
        _folders.Dispose();
    }

    [Fact]
    public void Load_FindsEveryProviderInItsFolder()
    {
        _folders.AddProviders();

        using PluginCatalog catalog = Load();

        Assert.Empty(catalog.Failures);
        // In folder order: Relay.Plugins.Sms.GovUkNotify, .Outbox, .Twilio, .Vonage.
        Assert.Equal(["govuknotify", "outbox", "twilio", "vonage"], catalog.Plugins.Select(static p => p.Name));
        foreach (LoadedPlugin plugin in catalog.Plugins)
        {
            Assert.StartsWith(_folders.Root, plugin.AssemblyPath, StringComparison.Ordinal);
            Assert.True(File.Exists(plugin.AssemblyPath));
            Assert.Matches(@"^\d+\.\d+\.\d+$", plugin.Version);
            Assert.True(plugin.Health.Healthy);
            Assert.IsAssignableFrom<ISmsPlugin>(plugin.Instance);
            Assert.NotEmpty(plugin.Description.Summary);
        }

        Assert.Equal(4, _log.Lines.Count(static l => l.EventId == 500));
    }

    [Fact]
    public void Load_PutsEachPluginInItsOwnContextSharingOnlyTheAbstractions()
    {
        _folders.AddProviders();

        using PluginCatalog catalog = Load();

        Assert.Equal(4, catalog.Plugins.Select(static p => p.LoadContext).Distinct().Count());
        foreach (LoadedPlugin plugin in catalog.Plugins)
        {
            Type type = plugin.Instance.GetType();
            Assert.Same(plugin.LoadContext, AssemblyLoadContext.GetLoadContext(type.Assembly));
            Assert.NotSame(AssemblyLoadContext.Default, plugin.LoadContext);
            Assert.True(plugin.LoadContext.IsCollectible);
            Assert.Equal(plugin.AssemblyPath, type.Assembly.Location);

            // The interface the plugin implements is the host's own type, from the default context.
            Type pluginsInterface = type.GetInterfaces().Single(static i => i.Name == nameof(ISmsPlugin));
            Assert.Same(typeof(ISmsPlugin), pluginsInterface);
            Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(pluginsInterface.Assembly));
        }

        // The test references the outbox assembly too (for OutboxReader): the plugin's copy is a different type.
        Type hostCopy = typeof(OutboxSmsPlugin);
        Type pluginCopy = catalog.Find("outbox")!.Instance.GetType();
        Assert.Equal(hostCopy.FullName, pluginCopy.FullName);
        Assert.NotSame(hostCopy, pluginCopy);
    }

    [Fact]
    public void Load_ADamagedDll_IsReportedAndTheOthersStillLoad()
    {
        _folders.AddProviders();
        _folders.AddFile("Broken", "Broken.dll", [0x4d, 0x5a, 0x90, 0x00, 0x03, 0xde, 0xad, 0xbe, 0xef]);

        using PluginCatalog catalog = Load();

        Assert.Equal(4, catalog.Plugins.Count);
        PluginLoadFailure failure = Assert.Single(catalog.Failures);
        Assert.EndsWith("Broken", failure.Source, StringComparison.Ordinal);
        Assert.Contains("Broken.dll is not a .NET assembly or is damaged", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, static l => l.EventId == 501 && l.Message.Contains("Broken.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AFolderWithoutAnAssembly_IsReported()
    {
        _folders.AddFile("Empty", "readme.txt", "nothing here"u8.ToArray());

        using PluginCatalog catalog = Load();

        Assert.Contains("expected Empty.dll", Assert.Single(catalog.Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AnAssemblyWithoutPlugins_IsReported()
    {
        string folder = _folders.Add(PluginFolders.Fixture, "NoPlugins");
        File.Copy(Path.Combine(folder, "Relay.Plugins.Tests.Fixture.Dependency.dll"), Path.Combine(folder, "NoPlugins.dll"));

        using PluginCatalog catalog = Load();

        Assert.Contains(catalog.Failures, static f => f.Message.Contains("has no public class implementing IRelayPlugin", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_APluginWhoseConstructorThrows_IsReportedWithItsMessage()
    {
        _folders.Add(PluginFolders.Fixture);

        using PluginCatalog catalog = Load();

        PluginLoadFailure failure = Assert.Single(catalog.Failures);
        Assert.Contains("ThrowingConstructorPlugin's constructor threw InvalidOperationException: fixture constructor refuses to start", failure.Message, StringComparison.Ordinal);
        // The other plugin in the same assembly loads, and its private dependency comes from its own context.
        LoadedPlugin dependent = Assert.Single(catalog.Plugins);
        Assert.Equal("fixture-dependent", dependent.Name);
        Assert.Equal("1.2.3", dependent.Version);
        Assert.Equal("Fixture plugin: needs its dependency", dependent.Description.Summary);
        object? dependencyContext = dependent.Instance.GetType().GetProperty("DependencyContext")!.GetValue(null);
        Assert.Same(dependent.LoadContext, dependencyContext);
    }

    [Fact]
    public void Load_APluginMissingADependency_NamesTheMissingFile()
    {
        string folder = _folders.Add(PluginFolders.Fixture);
        File.Delete(Path.Combine(folder, "Relay.Plugins.Tests.Fixture.Dependency.dll"));
        _folders.Add(PluginFolders.Outbox);

        using PluginCatalog catalog = Load();

        Assert.Equal(["outbox"], catalog.Plugins.Select(static p => p.Name));
        Assert.Contains(catalog.Failures, static f => f.Message.Contains("Relay.Plugins.Tests.Fixture.Dependency", StringComparison.Ordinal) && f.Message.Contains("needs", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TwoPluginsWithOneName_KeepsTheFirstAndReportsTheSecond()
    {
        _folders.Add(PluginFolders.Outbox);
        _folders.Add(PluginFolders.Outbox, PluginFolders.Outbox + ".Copy");

        using PluginCatalog catalog = Load();

        LoadedPlugin kept = Assert.Single(catalog.Plugins);
        Assert.Contains(Path.Combine(PluginFolders.Outbox, PluginFolders.Outbox + ".dll"), kept.AssemblyPath, StringComparison.Ordinal);
        PluginLoadFailure failure = Assert.Single(catalog.Failures);
        Assert.Contains("Plugin name 'outbox' is already taken", failure.Message, StringComparison.Ordinal);
        Assert.Contains(".Copy", failure.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithoutAPluginsFolder_LoadsNothingAndSaysSo()
    {
        using PluginCatalog catalog = PluginCatalog.Load(Path.Combine(_folders.Root, "absent"), _log.CreateFactory());

        Assert.Empty(catalog.Plugins);
        Assert.Empty(catalog.Failures);
        Assert.Contains(_log.Lines, static l => l.EventId == 502);
    }

    [Fact]
    public async Task CreateSmsSender_ForAnUnknownProvider_RefusesEverySendWithTheReason()
    {
        _folders.AddProviders();
        using PluginCatalog catalog = Load();

        ISmsSender sender = catalog.CreateSmsSender("twillio", new Dictionary<string, string?>(), s_http, TimeProvider.System);
        SmsSendResult result = await sender.SendAsync(new SmsMessage("+447700900123", "x", "s"), default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("No SMS provider named 'twillio'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Relay:Sms:Provider", result.Error, StringComparison.Ordinal);
        Assert.False((await sender.CheckHealthAsync(default)).Healthy);
        Assert.Contains(catalog.Failures, static f => f.Source == "twillio");
        Assert.Contains(_log.Lines, static l => l.EventId == 504);
    }

    [Fact]
    public async Task CreateSmsSender_MissingRequiredSettings_NamesTheKeysAndNeverLogsASecret()
    {
        _folders.AddProviders();
        using PluginCatalog catalog = Load();

        ISmsSender sender = catalog.CreateSmsSender("vonage", Settings(("ApiSecret", "vonage-secret-value")), s_http, TimeProvider.System);
        SmsSendResult result = await sender.SendAsync(new SmsMessage("+447700900123", "x", "s"), default);

        Assert.False(result.Accepted);
        Assert.Contains("Relay:Sms:Providers:vonage:ApiKey", result.Error, StringComparison.Ordinal);
        Assert.Contains("Relay:Sms:Providers:vonage:From", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ApiSecret", result.Error, StringComparison.Ordinal);
        LoadedPlugin vonage = catalog.Find("vonage")!;
        Assert.False(vonage.Health.Healthy);
        Assert.DoesNotContain("vonage-secret-value", _log.All, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSmsSender_SettingsThePluginRefuses_AreReportedWithoutTheSecret()
    {
        _folders.AddProviders();
        using PluginCatalog catalog = Load();
        const string Key = "not-a-notify-key-but-secret";

        catalog.CreateSmsSender("govuknotify", Settings(("ApiKey", Key), ("TemplateId", "f33517ff-2a88-4f6e-b855-c550268ce08a")), s_http, TimeProvider.System);

        PluginLoadFailure failure = Assert.Single(catalog.Failures);
        Assert.Contains("refused its settings", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not a GOV.UK Notify API key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, _log.All, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSmsSender_LogsTheSettingsInUseWithSecretsHidden()
    {
        _folders.AddProviders();
        using PluginCatalog catalog = Load();

        catalog.CreateSmsSender("twilio", Settings(("AccountSid", "AC123"), ("AuthToken", "twilio-token-value"), ("From", "+447700900001"), ("Unlisted", "unlisted-value")), s_http, TimeProvider.System);

        Assert.Empty(catalog.Failures);
        string line = Assert.Single(_log.Lines, static l => l.EventId == 503).Message;
        Assert.Contains("AccountSid=AC123", line, StringComparison.Ordinal);
        Assert.Contains("AuthToken=(set, not shown)", line, StringComparison.Ordinal);
        Assert.Contains("Unlisted=(set, not shown)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("twilio-token-value", _log.All, StringComparison.Ordinal);
        Assert.DoesNotContain("unlisted-value", _log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSmsSender_APluginThatThrows_IsTurnedIntoRefusalsWithSecretsMasked()
    {
        _folders.Add(PluginFolders.Fixture);
        using PluginCatalog catalog = Load();

        ISmsSender sender = catalog.CreateSmsSender("fixture-dependent", Settings(("Secret", "fixture-secret")), s_http, TimeProvider.System);
        SmsSendResult result = await sender.SendAsync(new SmsMessage("+447700900123", "x", "session-9"), default);
        SmsDeliveryReport report = await sender.GetDeliveryStatusAsync("id", default);
        PluginHealth health = await sender.CheckHealthAsync(default);

        Assert.False(result.Accepted);
        Assert.True(result.Retryable);
        Assert.Contains("fixture sender failed with secret ***", result.Error, StringComparison.Ordinal);
        Assert.Equal(SmsDeliveryState.Unknown, report.State);
        Assert.False(health.Healthy);
        Assert.False(catalog.Find("fixture-dependent")!.Health.Healthy);
        Assert.DoesNotContain("fixture-secret", _log.All, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, static l => l.EventId == 507);
    }

    [Fact]
    public async Task CreateSmsSender_LogsEachSendWithTheNumberMaskedAndNoBody()
    {
        _folders.AddProviders();
        using PluginCatalog catalog = Load();
        string data = Path.Combine(_folders.Root, "data");

        ISmsSender sender = catalog.CreateSmsSender("outbox", Settings(("DataDirectory", data)), s_http, TimeProvider.System);
        SmsSendResult result = await sender.SendAsync(new SmsMessage("+447700900123", "Open https://relay.example/c/secret-token", "session-7"), default);

        Assert.True(result.Accepted);
        string line = Assert.Single(_log.Lines, static l => l.EventId == 505).Message;
        Assert.Contains("session-7", line, StringComparison.Ordinal);
        Assert.Contains("+44*******123", line, StringComparison.Ordinal);
        Assert.DoesNotContain("7700900", _log.All, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", _log.All, StringComparison.Ordinal);
        Assert.Equal("session-7", new OutboxReader(Path.Combine(data, OutboxReader.DefaultFileName)).FindLastTo("+447700900123")?.Reference);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(static p => p.Key, static p => (string?)p.Value, StringComparer.OrdinalIgnoreCase);

    private PluginCatalog Load() => PluginCatalog.Load(_folders.Root, _log.CreateFactory());
}
