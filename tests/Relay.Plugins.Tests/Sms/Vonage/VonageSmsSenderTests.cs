using System.Text;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Tests.Support;

namespace Relay.Plugins.Tests.Sms.Vonage;

public sealed class VonageSmsSenderTests : SmsProviderTests
{
    private const string ApiKey = "abcd1234";
    private const string ApiSecret = "Secret0123456789";

    // The documented answer to a send (HTTP 200 whatever the outcome; status "0" is success).
    private const string AcceptedBody = """
        {"message-count":"1","messages":[{"to":"447700900123","message-id":"0A0000000123ABCD1","status":"0",
         "remaining-balance":"3.14159265","message-price":"0.03330000","network":"12345","client-ref":"session-42"}]}
        """;


    [Fact]
    public async Task Send_PostsTheDocumentedFormAndReturnsTheMessageId()
    {
        Server.Respond = _ => new CannedResponse(200, AcceptedBody);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.True(result.Accepted, result.Error);
        Assert.Equal("0A0000000123ABCD1", result.ProviderMessageId);
        Assert.Equal(SmsDeliveryState.Queued, result.State);
        RecordedRequest request = Server.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/sms/json", request.Path);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Null(request.Authorization);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["api_key"] = ApiKey,
                ["api_secret"] = ApiSecret,
                ["from"] = "447700900001",
                ["to"] = "447700900123",
                ["text"] = Message.Body,
                ["client-ref"] = "session-42",
            },
            Form(request.Body));
    }

    [Fact]
    public async Task Send_TextBeyondGsm_IsSentAsUnicode()
    {
        Server.Respond = _ => new CannedResponse(200, AcceptedBody);

        await Sender().SendAsync(Message with { Body = "Agorwch y ddolen: https://relay.example/c/abc ✓" }, default);

        Assert.Equal("unicode", Form(Server.Single.Body)["type"]);
    }

    [Fact]
    public async Task Send_BadCredentials_IsRefusedWithVonagesTextAndNotRetryable()
    {
        Server.Respond = _ => new CannedResponse(200, """{"message-count":"1","messages":[{"status":"4","error-text":"Bad Credentials"}]}""");

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("Bad Credentials", result.Error, StringComparison.Ordinal);
        Assert.Contains("status 4", result.Error, StringComparison.Ordinal);
        Assert.Contains("engineer", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiSecret, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "Throughput Rate Exceeded - please wait [ 30 ] and retry", true)]
    [InlineData("5", "Internal Error", true)]
    [InlineData("3", "Invalid to address", false)]
    [InlineData("29", "Non White-listed Destination - rejected", false)]
    public async Task Send_VonageStatusCodes_DecideWhetherToRetry(string status, string text, bool retryable)
    {
        Server.Respond = _ => new CannedResponse(200, $$"""{"message-count":"1","messages":[{"status":"{{status}}","error-text":"{{text}}"}]}""");

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.Equal(retryable, result.Retryable);
        Assert.Contains(text, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_OnePartRefused_RefusesTheMessage()
    {
        Server.Respond = _ => new CannedResponse(200, """
            {"message-count":"2","messages":[{"to":"447700900123","message-id":"0A01","status":"0"},{"status":"9","error-text":"Partner quota exceeded"}]}
            """);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.Contains("Partner quota exceeded", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "<html><head><title>500</title></head><body>Internal Server Error</body></html>", "HTML page", true)]
    [InlineData(429, "", "empty answer", true)]
    [InlineData(401, "{\"type\":\"https://developer.vonage.com/api-errors#unauthorized\",\"title\":\"Unauthorized\"}", "not its API's JSON", false)]
    public async Task Send_HostileOrErrorBodies_GiveAClearRefusal(int status, string body, string expected, bool retryable)
    {
        Server.Respond = _ => new CannedResponse(status, body, body.StartsWith('<') ? "text/html" : "application/json");

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.Equal(retryable, result.Retryable);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"message-count\":\"1\",\"messages\":[")]
    [InlineData("{\"message-count\":\"0\",\"messages\":[]}")]
    public async Task Send_An200ThatCannotBeRead_IsNotRetriedBlindly(string body)
    {
        Server.Respond = _ => new CannedResponse(200, body);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("cannot tell whether the message went", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_IsUnknownBecauseVonageReportsOnlyThroughReceipts()
    {
        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync("0A0000000123ABCD1", default);

        Assert.Equal(SmsDeliveryState.Unknown, report.State);
        Assert.Contains("delivery-receipt webhooks", report.Detail, StringComparison.Ordinal);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Health_ReadsTheBalanceWithBasicAuth()
    {
        Server.Respond = _ => new CannedResponse(200, """{"value": 10.28, "autoReload": false}""");

        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.True(health.Healthy, health.Detail);
        RecordedRequest request = Server.Single;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/account/get-balance", request.Path);
        Assert.Equal(BasicAuthorization(ApiKey, ApiSecret), request.Authorization);
    }

    [Fact]
    public async Task Health_WithRejectedCredentials_IsFailing()
    {
        Server.Respond = _ => new CannedResponse(401, "");

        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.False(health.Healthy);
        Assert.Contains("ApiSecret", health.Detail, StringComparison.Ordinal);
    }

    protected override string Provider => "vonage";

    protected override CannedResponse Accepted => new(200, AcceptedBody);

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["ApiKey"] = ApiKey,
        ["ApiSecret"] = ApiSecret,
        ["From"] = "+447700900001",
        ["BaseUrl"] = Server.BaseUrl.ToString(),
    };
}
