using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Relay.Server.Auth;

namespace Relay.Server.Tests.Auth;

public sealed class ApiKeyTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private static readonly object s_validSession = new { incident = "INC-1", phone = "+447700900123", mode = "video", retention = "mopi-group-3" };

    [Fact]
    public async Task Sessions_RefuseARequestWithoutCredentials_WithABearerChallenge()
    {
        HttpResponseMessage response = await fixture.Relay.Http.PostAsJsonAsync("/api/sessions", s_validSession);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization: Bearer");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Sessions_RefuseBasicCredentials_SayingBearerIsNeeded()
    {
        using HttpClient client = fixture.Relay.CreateClient("unused");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Y2FkOnNlY3JldA==");

        HttpResponseMessage response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "Only Bearer");
    }

    [Fact]
    public async Task Sessions_RefuseAnUnknownKey_AsAnInvalidToken()
    {
        using HttpClient client = fixture.Relay.CreateClient(TestRelay.OfficerKey + "x");

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/sessions", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "not recognised");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_RefuseAPublisherKey_NamingTheRoleNeeded()
    {
        using HttpClient client = fixture.Relay.CreateClient(TestRelay.PublisherKey);

        HttpResponseMessage response = await client.PostAsJsonAsync("/api/sessions", s_validSession);

        JsonElementAssert(await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "officer"));
    }

    [Fact]
    public async Task Sessions_AcceptTheOfficerKey()
    {
        using HttpClient client = fixture.Relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/sessions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Sessions_AcceptAKeyConfiguredOnlyByItsSha256()
    {
        const string Key = "hashed-key-0123456789abcdef";
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Key)));
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:ApiKeys:3:Name=hashed", "--Relay:ApiKeys:3:Role=officer", "--Relay:ApiKeys:3:KeySha256=" + hash);
        using HttpClient client = relay.CreateClient(Key);

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/sessions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("--Relay:ApiKeys:0:Role=chief", "Relay:ApiKeys:0:Role 'chief' is not one of officer, publisher, operator")]
    [InlineData("--Relay:ApiKeys:0:Key=short", "Relay:ApiKeys:0:Key is 5 characters; use at least 16")]
    [InlineData("--Relay:ApiKeys:1:Name=CAD", "Relay:ApiKeys:1:Name 'CAD' is used by another key")]
    [InlineData("--Relay:ApiKeys:0:KeySha256=abc", "give either Key or KeySha256")]
    public async Task Start_RefusesAMisconfiguredKey_NamingTheSetting(string setting, string message)
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRelay.StartAsync(setting));

        Assert.Contains(e.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Authenticate_FindsTheKeyWhateverItsPositionAndNothingForAPrefix()
    {
        var authenticator = new ApiKeyAuthenticator(Options.Create(new ApiKeyOptions
        {
            ApiKeys =
            [
                new ApiKeyEntry { Name = "a", Key = "aaaaaaaaaaaaaaaaaaaa", Role = ApiKeyRoles.Officer },
                new ApiKeyEntry { Name = "b", Key = "bbbbbbbbbbbbbbbbbbbb", Role = ApiKeyRoles.Publisher },
            ],
        }));

        Assert.Equal(new ApiKeyIdentity("b", ApiKeyRoles.Publisher), authenticator.Authenticate("bbbbbbbbbbbbbbbbbbbb"));
        Assert.Equal(new ApiKeyIdentity("a", ApiKeyRoles.Officer), authenticator.Authenticate("aaaaaaaaaaaaaaaaaaaa"));
        Assert.Null(authenticator.Authenticate("aaaaaaaaaaaaaaaaaaa"));
        Assert.Null(authenticator.Authenticate(""));
    }

    private static void JsonElementAssert(System.Text.Json.JsonElement problem) =>
        Assert.Contains("publisher", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
}
