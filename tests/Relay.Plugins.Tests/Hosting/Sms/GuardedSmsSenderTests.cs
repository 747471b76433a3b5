using Relay.Plugins.Hosting.Sms;

namespace Relay.Plugins.Tests.Hosting.Sms;

public sealed class GuardedSmsSenderTests
{
    [Theory]
    [InlineData("+447700900123", "+44*******123")]
    [InlineData("07700900123", "07******123")]
    [InlineData("12345", "*****")]
    public void MaskNumber_KeepsOnlyTheCountryCodeAndTheLastDigits(string number, string expected) =>
        Assert.Equal(expected, GuardedSmsSender.MaskNumber(number));
}
