using System.Text;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Tests.Support;

namespace Relay.Plugins.Tests.Sms.Twilio;

public sealed class TwilioSmsSenderTests : SmsProviderTests
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "auth-token-0123456789";
    private const string MessageSid = "SM0123456789abcdef0123456789abcdef";

    // The documented answer to a create: the Message resource, 201 Created.
    private const string CreatedBody = $$"""
        {"account_sid":"{{AccountSid}}","api_version":"2010-04-01","body":"Open https://relay.example/c/abc","date_created":"Thu, 24 Aug 2023 05:01:45 +0000",
         "date_sent":null,"date_updated":"Thu, 24 Aug 2023 05:01:45 +0000","direction":"outbound-api","error_code":null,"error_message":null,
         "from":"+447700900001","messaging_service_sid":null,"num_media":"0","num_segments":"1","price":null,"price_unit":null,
         "sid":"{{MessageSid}}","status":"queued","subresource_uris":{"media":"/2010-04-01/Accounts/{{AccountSid}}/Messages/{{MessageSid}}/Media.json"},
         "to":"+447700900123","uri":"/2010-04-01/Accounts/{{AccountSid}}/Messages/{{MessageSid}}.json"}
        """;



    [Fact]
    public async Task Send_PostsTheDocumentedFormWithBasicAuthAndReturnsTheSid()
    {
        Server.Respond = _ => new CannedResponse(201, CreatedBody);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.True(result.Accepted, result.Error);
        Assert.Equal(MessageSid, result.ProviderMessageId);
        Assert.Equal(SmsDeliveryState.Queued, result.State);
        RecordedRequest request = Server.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", request.Path);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(BasicAuthorization(AccountSid, AuthToken), request.Authorization);
        Dictionary<string, string> form = Form(request.Body);
        Assert.Equal(new Dictionary<string, string> { ["To"] = "+447700900123", ["From"] = "+447700900001", ["Body"] = Message.Body }, form);
    }

    [Fact]
    public async Task Send_WithAnApiKeyAndAMessagingService_AuthenticatesAsTheKeyAndOmitsFrom()
    {
        Server.Respond = _ => new CannedResponse(201, CreatedBody);
        ISmsSender sender = Sender(new()
        {
            ["AuthToken"] = null,
            ["ApiKeySid"] = "SK0123",
            ["ApiKeySecret"] = "key-secret",
            ["From"] = null,
            ["MessagingServiceSid"] = "MG0123",
            ["StatusCallback"] = "https://relay.example/sms/status",
        });

        SmsSendResult result = await sender.SendAsync(Message, default);

        Assert.True(result.Accepted, result.Error);
        RecordedRequest request = Server.Single;
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", request.Path);
        Assert.Equal(BasicAuthorization("SK0123", "key-secret"), request.Authorization);
        Assert.Equal(
            new Dictionary<string, string> { ["To"] = "+447700900123", ["MessagingServiceSid"] = "MG0123", ["Body"] = Message.Body, ["StatusCallback"] = "https://relay.example/sms/status" },
            Form(request.Body));
    }

    [Fact]
    public async Task Send_AnInvalidNumber_IsRefusedWithTwiliosCodeAndMessageAndNotRetryable()
    {
        Server.Respond = _ => new CannedResponse(400, """
            {"code": 21211, "message": "Invalid 'To' Phone Number: +4477009", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}
            """);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Equal(SmsDeliveryState.Failed, result.State);
        Assert.Null(result.ProviderMessageId);
        Assert.Contains("Invalid 'To' Phone Number", result.Error, StringComparison.Ordinal);
        Assert.Contains("21211", result.Error, StringComparison.Ordinal);
        Assert.Contains("Check the number with the caller", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithCredentialsTwilioRejects_TellsTheOfficerAnEngineerMustFixThem()
    {
        Server.Respond = _ => new CannedResponse(401, """
            {"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}
            """);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Retryable);
        Assert.Contains("20003", result.Error, StringComparison.Ordinal);
        Assert.Contains("engineer", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, """{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}""")]
    [InlineData(500, """{"code": 20500, "message": "Internal Server Error", "more_info": "https://www.twilio.com/docs/errors/20500", "status": 500}""")]
    [InlineData(503, "")]
    public async Task Send_RateLimitsAndOutages_AreRetryable(int status, string body)
    {
        Server.Respond = _ => new CannedResponse(status, body);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.True(result.Retryable);
        Assert.Contains("Try again", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "HTML page", true)]
    [InlineData(400, "{\"code\": 21211, \"message\": ", "application/json", "not its API's JSON", false)]
    [InlineData(404, "", "text/plain", "empty answer", false)]
    [InlineData(400, "[1,2,3]", "application/json", "not its API's JSON", false)]
    public async Task Send_HostileErrorBodies_GiveAClearRefusal(int status, string body, string contentType, string expected, bool retryable)
    {
        Server.Respond = _ => new CannedResponse(status, body, contentType);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.Equal(retryable, result.Retryable);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ACreatedAnswerWithoutASid_IsNotRetriedBlindly()
    {
        Server.Respond = _ => new CannedResponse(201, "{\"status\":\"queued\"}");

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("cannot tell whether the message went", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("queued", SmsDeliveryState.Queued)]
    [InlineData("sending", SmsDeliveryState.Queued)]
    [InlineData("sent", SmsDeliveryState.Sent)]
    [InlineData("delivered", SmsDeliveryState.Delivered)]
    [InlineData("undelivered", SmsDeliveryState.Failed)]
    [InlineData("failed", SmsDeliveryState.Failed)]
    [InlineData("something-new", SmsDeliveryState.Unknown)]
    public async Task Status_FetchesTheMessageAndMapsItsStatus(string status, SmsDeliveryState expected)
    {
        Server.Respond = _ => new CannedResponse(200, CreatedBody.Replace("\"status\":\"queued\"", $"\"status\":\"{status}\"", StringComparison.Ordinal));

        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync(MessageSid, default);

        Assert.Equal(expected, report.State);
        Assert.Equal(new DateTimeOffset(2023, 8, 24, 5, 1, 45, TimeSpan.Zero), report.At);
        RecordedRequest request = Server.Single;
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}.json", request.Path);
        Assert.Equal(BasicAuthorization(AccountSid, AuthToken), request.Authorization);
    }

    [Fact]
    public async Task Status_OfAnUndeliveredMessage_CarriesTwiliosErrorCode()
    {
        Server.Respond = _ => new CannedResponse(200, CreatedBody
            .Replace("\"status\":\"queued\"", "\"status\":\"undelivered\"", StringComparison.Ordinal)
            .Replace("\"error_code\":null,\"error_message\":null", "\"error_code\":30003,\"error_message\":\"Unreachable destination handset\"", StringComparison.Ordinal));

        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync(MessageSid, default);

        Assert.Equal(SmsDeliveryState.Failed, report.State);
        Assert.Contains("30003", report.Detail, StringComparison.Ordinal);
        Assert.Contains("Unreachable destination handset", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_OfAnUnknownSid_IsUnknownWithTwiliosReason()
    {
        Server.Respond = _ => new CannedResponse(404, """
            {"code": 20404, "message": "The requested resource /2010-04-01/Accounts/AC/Messages/SMx.json was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}
            """);

        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync("SMx", default);

        Assert.Equal(SmsDeliveryState.Unknown, report.State);
        Assert.Contains("20404", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_FetchesTheAccountWithTheCredentials()
    {
        Server.Respond = _ => new CannedResponse(200, $$"""{"sid":"{{AccountSid}}","status":"active","type":"Full"}""");

        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.True(health.Healthy, health.Detail);
        RecordedRequest request = Server.Single;
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}.json", request.Path);
        Assert.StartsWith("Basic ", request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_WithRejectedCredentials_IsFailing()
    {
        Server.Respond = _ => new CannedResponse(401, """{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}""");

        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.False(health.Healthy);
        Assert.Contains("20003", health.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountSid", "AccountSid")]
    [InlineData("AuthToken", "AuthToken")]
    [InlineData("From", "From or MessagingServiceSid")]
    public void CreateSender_WithoutAMandatorySetting_NamesIt(string removed, string expected)
    {
        Dictionary<string, string?> settings = Settings();
        settings.Remove(removed);

        ArgumentException e = Assert.Throws<ArgumentException>(() => SenderWith(settings));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    protected override string Provider => "twilio";

    protected override CannedResponse Accepted => new(201, CreatedBody);

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["AccountSid"] = AccountSid,
        ["AuthToken"] = AuthToken,
        ["From"] = "+447700900001",
        ["BaseUrl"] = Server.BaseUrl.ToString(),
    };
}
