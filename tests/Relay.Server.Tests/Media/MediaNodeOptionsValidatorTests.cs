using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Relay.Server.Media;

namespace Relay.Server.Tests.Media;

/// <summary>The rules of the media settings the Tuning page may change; each refusal names the setting and what it accepts.</summary>
public sealed class MediaNodeOptionsValidatorTests
{
    [Theory]
    [InlineData(nameof(MediaNodeOptions.PacketCacheCapacity), "0", "Relay:Media:PacketCacheCapacity is 0; give 1 to 32768")]
    [InlineData(nameof(MediaNodeOptions.PacketCacheCapacity), "40000", "Relay:Media:PacketCacheCapacity is 40000; give 1 to 32768")]
    [InlineData(nameof(MediaNodeOptions.KeyframeRequestInterval), "00:00:00.010", "Relay:Media:KeyframeRequestInterval is 00:00:00.0100000; give 00:00:00.050 to 00:00:10")]
    [InlineData(nameof(MediaNodeOptions.KeyframeRequestInterval), "00:01:00", "Relay:Media:KeyframeRequestInterval is 00:01:00; give 00:00:00.050 to 00:00:10")]
    [InlineData(nameof(MediaNodeOptions.MaxPublisherVideoBitrate), "50000", "Relay:Media:MaxPublisherVideoBitrate is 50000; give 0 (no cap) or 100000 to 50000000")]
    [InlineData(nameof(MediaNodeOptions.MaxRetransmissionBytesPerSecond), "10", "Relay:Media:MaxRetransmissionBytesPerSecond is 10; give at least 1000")]
    public void AnOutOfRangeValueIsRefusedNamingTheSettingAndTheRule(string property, string value, string failure)
    {
        var options = new MediaNodeOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [property] = value }).Build().Bind(options);

        ValidateOptionsResult result = new MediaNodeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith(failure, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultsAreValid()
    {
        Assert.True(new MediaNodeOptionsValidator().Validate(null, new MediaNodeOptions()).Succeeded);
    }
}
