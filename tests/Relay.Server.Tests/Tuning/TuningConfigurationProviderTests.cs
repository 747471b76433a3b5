using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Server.Sessions;
using Relay.Server.Tuning;

namespace Relay.Server.Tests.Tuning;

public sealed class TuningConfigurationProviderTests
{
    [Fact]
    public void ReplacingTheTunedValuesReachesAnOptionsMonitorWithoutRebuildingAnything()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:Sessions:CallerTokenLifetime"] = "00:30:00" });
        var source = new TuningConfigurationSource();
        ((IConfigurationBuilder)configuration).Add(source);
        var services = new ServiceCollection();
        services.AddOptions<CallSessionOptions>().Bind(configuration.GetSection(CallSessionOptions.SectionName));
        using ServiceProvider provider = services.BuildServiceProvider();
        IOptionsMonitor<CallSessionOptions> monitor = provider.GetRequiredService<IOptionsMonitor<CallSessionOptions>>();
        Assert.Equal(TimeSpan.FromMinutes(30), monitor.CurrentValue.CallerTokenLifetime);
        int changes = 0;
        using IDisposable? listening = monitor.OnChange(_ => changes++);

        source.Provider.Replace(new Dictionary<string, string> { ["Relay:Sessions:CallerTokenLifetime"] = "00:05:00" });

        Assert.Equal(TimeSpan.FromMinutes(5), monitor.CurrentValue.CallerTokenLifetime);
        Assert.Equal(1, changes);

        source.Provider.Replace(new Dictionary<string, string>());

        Assert.Equal(TimeSpan.FromMinutes(30), monitor.CurrentValue.CallerTokenLifetime);
    }

    [Fact]
    public void TheTunedValuesSurviveTheConfigurationBeingRebuilt_WhenASourceIsAddedAfterThem()
    {
        var configuration = new ConfigurationManager();
        var source = new TuningConfigurationSource();
        ((IConfigurationBuilder)configuration).Add(source);
        source.Provider.Replace(new Dictionary<string, string> { ["Relay:Media:PacketCacheCapacity"] = "2048" });

        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Other"] = "x" });

        Assert.Equal("2048", configuration["Relay:Media:PacketCacheCapacity"]);
    }
}
