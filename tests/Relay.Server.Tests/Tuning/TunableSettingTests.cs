using Microsoft.Extensions.Configuration;
using Relay.Server.Tuning;

namespace Relay.Server.Tests.Tuning;

public sealed class TunableSettingTests
{
    [Theory]
    [InlineData("Relay:Media:PacketCacheCapacity", " 2048 ", "2048")]
    [InlineData("Relay:Media:PacketCacheCapacity", "2,048", "2048")]
    [InlineData("Relay:Sessions:CallerTokenLifetime", "0:5:0", "00:05:00")]
    [InlineData("Relay:Sessions:CallerTokenLifetime", "1.00:00:00", "1.00:00:00")]
    [InlineData("Relay:Media:KeyframeRequestInterval", "00:00:00.500", "00:00:00.5")]
    [InlineData("Relay:Sms:Limits:AllowedCountryCodes", "+44; 353 44", "44,353")]
    public void AValueIsKeptInOneInvariantForm(string key, string text, string stored)
    {
        Assert.Equal(stored, TunableSettings.Find(key)!.Normalise(text, out string? problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("Relay:Media:PacketCacheCapacity", "lots", "takes a whole number")]
    [InlineData("Relay:Sessions:CallerTokenLifetime", "5 minutes", "takes a time span as hh:mm:ss")]
    [InlineData("Relay:Sms:Limits:AllowedCountryCodes", " , ", "takes country calling codes")]
    public void AValueThatCannotBeReadIsRefusedSayingHowToWriteIt(string key, string text, string rule)
    {
        Assert.Null(TunableSettings.Find(key)!.Normalise(text, out string? problem));
        Assert.StartsWith(key + " (", problem, StringComparison.Ordinal);
        Assert.Contains(rule, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysAreFoundInAnyLetterCase_AsConfigurationKeysAre()
    {
        Assert.Equal("Relay:Sessions:CallerTokenLifetime", TunableSettings.Find("relay:sessions:callertokenlifetime")?.Key);
        Assert.Null(TunableSettings.Find("Relay:Media:Port"));
    }

    [Fact]
    public void AShorterCountryListHidesEveryCodeOfALongerOneInTheFiles()
    {
        IConfiguration files = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:Sms:Limits:AllowedCountryCodes:0"] = "44",
            ["Relay:Sms:Limits:AllowedCountryCodes:1"] = "353",
            ["Relay:Sms:Limits:AllowedCountryCodes:2"] = "33",
        }).Build();

        Dictionary<string, string> tuned = new(TunableSettings.Find("Relay:Sms:Limits:AllowedCountryCodes")!.ToConfiguration("44", files));

        Assert.Equal(3, tuned.Count);
        Assert.All(tuned.Values, code => Assert.Equal("44", code));
    }

    [Fact]
    public void EverySettingSaysWhatAChangeReaches()
    {
        Assert.All(TunableSettings.All, setting =>
        {
            Assert.False(string.IsNullOrWhiteSpace(setting.Name));
            Assert.False(string.IsNullOrWhiteSpace(setting.Description));
            Assert.False(string.IsNullOrWhiteSpace(setting.AppliesTo));
        });
    }
}
