using System.Reflection;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.FileSystem;
using Relay.Plugins.Evidence.S3;

namespace Relay.Plugins.Evidence.Tests;

/// <summary>What the plugin host looks for in a plugin assembly: one public class implementing the capability, with a parameterless constructor.</summary>
public sealed class PluginDiscoveryTests
{
    public static TheoryData<string> PluginAssemblies() =>
    [
        typeof(FileSystemEvidenceStorePlugin).Assembly.Location,
        typeof(S3EvidenceStorePlugin).Assembly.Location,
    ];

    [Theory]
    [MemberData(nameof(PluginAssemblies))]
    public void Each_store_assembly_exports_exactly_one_evidence_store_plugin_the_host_can_create(string path)
    {
        Assembly assembly = AppDomain.CurrentDomain.GetAssemblies().Single(a => !a.IsDynamic && a.Location == path);

        Type plugin = Assert.Single(assembly.GetExportedTypes(), t => t.IsClass && !t.IsAbstract && typeof(IRelayPlugin).IsAssignableFrom(t));

        Assert.True(typeof(IEvidenceStorePlugin).IsAssignableFrom(plugin));
        Assert.NotNull(plugin.GetConstructor(Type.EmptyTypes));
        var instance = (IEvidenceStorePlugin)Activator.CreateInstance(plugin)!;
        Assert.False(string.IsNullOrWhiteSpace(instance.Description.Name));
        Assert.NotEmpty(instance.Description.Settings);
    }

    [Fact]
    public void The_two_stores_have_distinct_configuration_names()
    {
        Assert.NotEqual(new FileSystemEvidenceStorePlugin().Description.Name, new S3EvidenceStorePlugin().Description.Name);
    }
}
