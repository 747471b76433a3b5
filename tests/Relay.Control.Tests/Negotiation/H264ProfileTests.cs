using Relay.Control.Negotiation;

namespace Relay.Control.Tests.Negotiation;

public class H264ProfileTests
{
    [Theory]
    [InlineData("42e01f", "ConstrainedBaseline")]
    [InlineData("42E01F", "ConstrainedBaseline")]
    [InlineData("42c01f", "ConstrainedBaseline")]
    [InlineData("424034", "ConstrainedBaseline")]
    [InlineData("4d801f", "ConstrainedBaseline")]
    [InlineData("42001f", "Baseline")]
    [InlineData("42000a", "Baseline")]
    [InlineData("4d001f", "Main")]
    [InlineData("4d401f", "Main")]
    [InlineData("640c1f", "ConstrainedHigh")]
    [InlineData("64001f", "High")]
    [InlineData("640034", "High")]
    [InlineData(null, "Baseline")]
    public void TryParse_ReadsTheProfilesBrowsersOffer(string? profileLevelId, string expected)
    {
        Assert.True(H264Profile.TryParse(profileLevelId, out H264ProfileKind profile));
        Assert.Equal(expected, profile.ToString());
    }

    [Theory]
    [InlineData("f4001f")]
    [InlineData("6e001f")]
    [InlineData("7a001f")]
    [InlineData("58001f")]
    [InlineData("42e11f")]
    [InlineData("64101f")]
    [InlineData("42e01")]
    [InlineData("42e01f0")]
    [InlineData("42g01f")]
    [InlineData("+2e01f")]
    [InlineData("")]
    public void TryParse_RefusesOtherProfilesAndMalformedIds(string profileLevelId)
    {
        Assert.False(H264Profile.TryParse(profileLevelId, out _));
    }
}
