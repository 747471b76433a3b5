using System.Runtime.Loader;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Tests.Fixture.Dependency;

namespace Relay.Plugins.Tests.Fixture;

/// <summary>An SMS plugin that needs its private dependency to describe itself, and whose sender throws when told to.</summary>
public sealed class DependentSmsPlugin : ISmsPlugin
{
    public PluginDescription Description { get; } = new(
        "fixture-dependent",
        "1.2.3",
        FixtureDependency.Summary("needs its dependency"),
        [new PluginSetting("Secret", "A secret it echoes in its exceptions.", Required: false, Secret: true)]);

    /// <summary>The context its dependency was loaded into.</summary>
    public static AssemblyLoadContext? DependencyContext => AssemblyLoadContext.GetLoadContext(typeof(FixtureDependency).Assembly);

    public ISmsSender CreateSender(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ThrowingSender(settings.TryGetValue("Secret", out string? secret) ? secret ?? "" : "");
    }

    private sealed class ThrowingSender(string secret) : ISmsSender
    {
        public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("fixture sender failed with secret " + secret);

        public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("fixture status failed");

        public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("fixture health failed");
    }
}
