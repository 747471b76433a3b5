using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Tests.Support;
using Relay.Testing.Time;

namespace Relay.Plugins.Tests.Sms.GovUkNotify;

public sealed class NotifySmsSenderTests : SmsProviderTests
{
    private const string ServiceId = "26785a09-ab16-4eb0-8407-a37497a57506";
    private const string SecretKey = "3d844edf-8d35-48ac-975b-e847b4f122b0";
    private const string ApiKey = "relay-live-" + ServiceId + "-" + SecretKey;
    private const string TemplateId = "f33517ff-2a88-4f6e-b855-c550268ce08a";
    private const string NotificationId = "740e5834-3a29-46b4-9a6f-16142fde533a";

    // The documented answer to a send, 201 Created.
    private const string CreatedBody = $$$"""
        {"id":"{{{NotificationId}}}","reference":"session-42","content":{"body":"Open https://relay.example/c/abc","from_number":"GOVUK"},
         "uri":"https://api.notifications.service.gov.uk/v2/notifications/{{{NotificationId}}}",
         "template":{"id":"{{{TemplateId}}}","version":1,"uri":"https://api.notifications.service.gov.uk/v2/template/{{{TemplateId}}}"}}
        """;

    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 16, 30, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(s_now);

    protected override string Provider => "govuknotify";

    protected override CannedResponse Accepted => new(201, CreatedBody);

    protected override TimeProvider Time => _time;
    [Fact]
    public async Task Send_PostsTheDocumentedJsonWithASignedTokenAndReturnsTheId()
    {
        Server.Respond = _ => new CannedResponse(201, CreatedBody);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.True(result.Accepted, result.Error);
        Assert.Equal(NotificationId, result.ProviderMessageId);
        Assert.Equal(SmsDeliveryState.Queued, result.State);
        RecordedRequest request = Server.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v2/notifications/sms", request.Path);
        Assert.Equal("application/json", request.ContentType);
        VerifyToken(request.Authorization, s_now);
        using JsonDocument body = JsonDocument.Parse(request.Body);
        JsonElement root = body.RootElement;
        Assert.Equal(["phone_number", "template_id", "personalisation", "reference"], root.EnumerateObject().Select(static p => p.Name));
        Assert.Equal("+447700900123", root.GetProperty("phone_number").GetString());
        Assert.Equal(TemplateId, root.GetProperty("template_id").GetString());
        Assert.Equal("session-42", root.GetProperty("reference").GetString());
        JsonProperty personalisation = Assert.Single(root.GetProperty("personalisation").EnumerateObject());
        Assert.Equal("message", personalisation.Name);
        Assert.Equal(Message.Body, personalisation.Value.GetString());
    }

    [Fact]
    public async Task Send_WithASenderAndPlaceholderConfigured_SendsThem()
    {
        Server.Respond = _ => new CannedResponse(201, CreatedBody);

        await Sender(new() { ["Placeholder"] = "link_text", ["SmsSenderId"] = "8e222534-7f05-4972-86e3-17c5d9f894e2" }).SendAsync(Message, default);

        using JsonDocument body = JsonDocument.Parse(Server.Single.Body);
        Assert.Equal(Message.Body, body.RootElement.GetProperty("personalisation").GetProperty("link_text").GetString());
        Assert.Equal("8e222534-7f05-4972-86e3-17c5d9f894e2", body.RootElement.GetProperty("sms_sender_id").GetString());
    }

    [Fact]
    public async Task Send_EachRequestCarriesATokenIssuedAtItsOwnTime()
    {
        Server.Respond = _ => new CannedResponse(201, CreatedBody);
        ISmsSender sender = Sender();

        await sender.SendAsync(Message, default);
        _time.Advance(TimeSpan.FromMinutes(5));
        await sender.SendAsync(Message, default);

        RecordedRequest[] requests = [.. Server.Requests];
        VerifyToken(requests[0].Authorization, s_now);
        VerifyToken(requests[1].Authorization, s_now.AddMinutes(5));
    }

    [Fact]
    public async Task Send_WithATeamKeyToAStranger_SaysALiveKeyIsNeeded()
    {
        Server.Respond = _ => new CannedResponse(400, """
            {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient using a team-only API key"}]}
            """);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("Can't send to this recipient using a team-only API key", result.Error, StringComparison.Ordinal);
        Assert.Contains("BadRequestError", result.Error, StringComparison.Ordinal);
        Assert.Contains("live key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_AnInvalidNumber_AsksToCheckItWithTheCaller()
    {
        Server.Respond = _ => new CannedResponse(400, """
            {"status_code": 400, "errors": [{"error": "ValidationError", "message": "phone_number Not enough digits"}]}
            """);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Retryable);
        Assert.Contains("phone_number Not enough digits", result.Error, StringComparison.Ordinal);
        Assert.Contains("Check the number with the caller", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ARejectedToken_IsNotRetryableAndNeverShowsTheKey()
    {
        Server.Respond = _ => new CannedResponse(403, """
            {"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token: API key not found"}]}
            """);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Retryable);
        Assert.Contains("Invalid token: API key not found", result.Error, StringComparison.Ordinal);
        Assert.Contains("clock", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, """{"status_code": 429, "errors": [{"error": "RateLimitError", "message": "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"}]}""", "RateLimitError")]
    [InlineData(429, """{"status_code": 429, "errors": [{"error": "TooManyRequestsError", "message": "Exceeded send limits (250000) for today"}]}""", "TooManyRequestsError")]
    [InlineData(500, """{"status_code": 500, "errors": [{"error": "Exception", "message": "Internal server error"}]}""", "Internal server error")]
    [InlineData(503, "<!DOCTYPE html><html><body>Service unavailable</body></html>", "HTML page")]
    [InlineData(502, "", "empty answer")]
    public async Task Send_RateLimitsAndOutages_AreRetryable(int status, string body, string expected)
    {
        Server.Respond = _ => new CannedResponse(status, body, body.StartsWith('<') ? "text/html" : "application/json");

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.True(result.Retryable);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"status_code\": 400, \"errors\": [{\"error\": ")]
    [InlineData("{\"status_code\": 400, \"errors\": []}")]
    [InlineData("null")]
    public async Task Send_MalformedErrorBodies_GiveAClearRefusal(string body)
    {
        Server.Respond = _ => new CannedResponse(400, body);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("not its API's JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 400", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("created", SmsDeliveryState.Queued)]
    [InlineData("sending", SmsDeliveryState.Sent)]
    [InlineData("pending", SmsDeliveryState.Sent)]
    [InlineData("delivered", SmsDeliveryState.Delivered)]
    [InlineData("permanent-failure", SmsDeliveryState.Failed)]
    [InlineData("temporary-failure", SmsDeliveryState.Failed)]
    [InlineData("technical-failure", SmsDeliveryState.Failed)]
    public async Task Status_GetsTheNotificationAndMapsItsStatus(string status, SmsDeliveryState expected)
    {
        Server.Respond = _ => new CannedResponse(200, $$"""
            {"id":"{{NotificationId}}","reference":"session-42","phone_number":"+447700900123","type":"sms","status":"{{status}}",
             "template":{"id":"{{TemplateId}}","version":1,"uri":"x"},"body":"Open https://relay.example/c/abc","created_at":"2026-12-01T16:30:00.000000Z",
             "created_by_name":null,"sent_at":"2026-12-01T16:30:02.000000Z","completed_at":"2026-12-01T16:30:09.000000Z"}
            """);

        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync(NotificationId, default);

        Assert.Equal(expected, report.State);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 30, 9, TimeSpan.Zero), report.At);
        RecordedRequest request = Server.Single;
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/v2/notifications/{NotificationId}", request.Path);
        VerifyToken(request.Authorization, s_now);
    }

    [Fact]
    public async Task Status_OfAPermanentFailure_SaysWhatToDo()
    {
        Server.Respond = _ => new CannedResponse(200, $$"""{"id":"{{NotificationId}}","status":"permanent-failure","created_at":"2026-12-01T16:30:00.000000Z","sent_at":null,"completed_at":null}""");

        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync(NotificationId, default);

        Assert.Equal(SmsDeliveryState.Failed, report.State);
        Assert.Contains("check it with the caller", report.Detail, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 30, 0, TimeSpan.Zero), report.At);
    }

    [Fact]
    public async Task Status_OfAnUnknownId_IsUnknownWithNotifysReason()
    {
        Server.Respond = _ => new CannedResponse(404, """{"status_code": 404, "errors": [{"error": "NoResultFound", "message": "No result found"}]}""");

        SmsDeliveryReport report = await Sender().GetDeliveryStatusAsync(NotificationId, default);

        Assert.Equal(SmsDeliveryState.Unknown, report.State);
        Assert.Contains("No result found", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_FetchesTheTemplateAndChecksItsPlaceholder()
    {
        Server.Respond = _ => new CannedResponse(200, $$"""{"id":"{{TemplateId}}","type":"sms","version":3,"body":"Police: tap to share your camera and location ((message))","name":"Relay link"}""");

        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.True(health.Healthy, health.Detail);
        RecordedRequest request = Server.Single;
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/v2/template/{TemplateId}", request.Path);
        VerifyToken(request.Authorization, s_now);
    }

    [Fact]
    public async Task Health_OfATemplateWithoutThePlaceholder_IsFailing()
    {
        Server.Respond = _ => new CannedResponse(200, $$"""{"id":"{{TemplateId}}","type":"sms","version":3,"body":"Hello ((name))"}""");

        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.False(health.Healthy);
        Assert.Contains("((message))", health.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("relay-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf8d3548ac975be847b4f122b0")]
    [InlineData("26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0")]
    public void CreateSender_WithAMalformedKey_SaysSoWithoutEchoingIt(string key)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => SenderWith(new()
        {
            ["ApiKey"] = key,
            ["TemplateId"] = TemplateId,
        }));

        Assert.Contains("not a GOV.UK Notify API key", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
    }

    // Checks the JWT independently of the sender: header, claims, and the HS256 signature keyed by the secret's text.
    private static void VerifyToken(string? authorization, DateTimeOffset issuedAt)
    {
        Assert.NotNull(authorization);
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        string[] parts = authorization["Bearer ".Length..].Split('.');
        Assert.Equal(3, parts.Length);

        using JsonDocument header = JsonDocument.Parse(FromBase64Url(parts[0]));
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());

        using JsonDocument claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        Assert.Equal(ServiceId, claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal(issuedAt.ToUnixTimeSeconds(), claims.RootElement.GetProperty("iat").GetInt64());

        byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SecretKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expected, FromBase64Url(parts[2]));
    }

    private static byte[] FromBase64Url(string text)
    {
        Assert.DoesNotContain('=', text);
        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["ApiKey"] = ApiKey,
        ["TemplateId"] = TemplateId,
        ["BaseUrl"] = Server.BaseUrl.ToString(),
    };
}
