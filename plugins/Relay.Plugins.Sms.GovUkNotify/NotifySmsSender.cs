using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.GovUkNotify;

/// <summary>
/// Sends through GOV.UK Notify: <c>POST /v2/notifications/sms</c> with JSON <c>{phone_number, template_id,
/// personalisation, reference, sms_sender_id?}</c> and <c>Authorization: Bearer {JWT}</c>; 201 with the
/// notification (<c>id</c>, ...). Errors come as <c>{"status_code", "errors":[{"error","message"}]}</c>.
/// Status: <c>GET /v2/notifications/{id}</c>.
/// </summary>
internal sealed class NotifySmsSender(HttpClient http, TimeProvider time, Uri baseUrl, NotifyApiKey key, string templateId, string placeholder, string? smsSenderId) : ISmsSender
{
    public const string DefaultBaseUrl = "https://api.notifications.service.gov.uk/";
    private const string Provider = "GOV.UK Notify";

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "v2/notifications/sms"))
        {
            Content = new ByteArrayContent(SerializeRequest(message)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Authorize(request);
        ProviderResponse response = await ProviderHttp.SendAsync(http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (response.IsSuccess)
        {
            string? id = json?.RootElement.GetString("id");
            return id is null
                ? SmsSendResult.Refused(ProviderHttp.DescribeUnreadableSuccess(Provider, response), retryable: false)
                : SmsSendResult.Sent(id, SmsDeliveryState.Queued);
        }

        return SmsSendResult.Refused(DescribeError(response, json), response.Retryable);
    }

    public async Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerMessageId);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "v2/notifications/" + Uri.EscapeDataString(providerMessageId)));
        Authorize(request);
        ProviderResponse response = await ProviderHttp.SendAsync(http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (!response.IsSuccess || json is null)
        {
            return new SmsDeliveryReport(SmsDeliveryState.Unknown, DescribeError(response, json), null);
        }

        JsonElement root = json.RootElement;
        string? status = root.GetString("status");
        DateTimeOffset? at = ParseDate(root.GetString("completed_at")) ?? ParseDate(root.GetString("sent_at")) ?? ParseDate(root.GetString("created_at"));
        return new SmsDeliveryReport(MapStatus(status), $"GOV.UK Notify status: {status ?? "none"}.{Explain(status)}", at);
    }

    public async Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        // Fetching the template checks the address, the key and the template without sending anything.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "v2/template/" + Uri.EscapeDataString(templateId)));
        Authorize(request);
        ProviderResponse response = await ProviderHttp.SendAsync(http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (response.IsSuccess && json is not null)
        {
            string? type = json.RootElement.GetString("type");
            string? body = json.RootElement.GetString("body");
            if (type is not null && type != "sms")
            {
                return PluginHealth.Failing($"GOV.UK Notify template {templateId} is a {type} template, not a text message template.");
            }

            return body is not null && !body.Contains("((" + placeholder + "))", StringComparison.OrdinalIgnoreCase)
                ? PluginHealth.Failing($"GOV.UK Notify template {templateId} has no (({placeholder})) placeholder, so the caller's link would not be in the text.")
                : PluginHealth.Ok($"GOV.UK Notify accepts the key for service {key.ServiceId} and has template {templateId}.");
        }

        return PluginHealth.Failing(DescribeError(response, json));
    }

    /// <summary>Notify's text message statuses.</summary>
    internal static SmsDeliveryState MapStatus(string? status) => status switch
    {
        "created" => SmsDeliveryState.Queued,
        "sending" or "pending" or "sent" => SmsDeliveryState.Sent,
        "delivered" => SmsDeliveryState.Delivered,
        "permanent-failure" or "temporary-failure" or "technical-failure" or "validation-failed" => SmsDeliveryState.Failed,
        _ => SmsDeliveryState.Unknown,
    };

    private static string Explain(string? status) => status switch
    {
        "permanent-failure" => " The number does not exist or cannot receive texts: check it with the caller.",
        "temporary-failure" => " The phone was off or out of signal for Notify's retry period: ask the caller to turn it on, then send again.",
        "technical-failure" => " Notify or its provider failed: send again.",
        "pending" => " Notify is waiting for the phone network to confirm delivery.",
        _ => "",
    };

    private static DateTimeOffset? ParseDate(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null;

    private static string DescribeError(ProviderResponse response, JsonDocument? json)
    {
        if (json is null || !json.RootElement.TryGetProperty("errors", out JsonElement errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
        {
            return ProviderHttp.DescribeUnexpected(Provider, response);
        }

        var text = new StringBuilder("GOV.UK Notify refused it: ");
        string? firstError = null;
        string? firstMessage = null;
        foreach (JsonElement error in errors.EnumerateArray())
        {
            string? name = error.GetString("error");
            string? message = error.GetString("message");
            firstError ??= name;
            firstMessage ??= message;
            text.Append(message ?? "no reason given").Append(" (").Append(name ?? "error").Append("); ");
        }

        text.Length -= 2;
        text.Append(CultureInfo.InvariantCulture, $", HTTP {response.Status}.");
        if (Advice(response.Status, firstError, firstMessage) is { } advice)
        {
            text.Append(' ').Append(advice);
        }

        return text.ToString();
    }

    private static string? Advice(int status, string? error, string? message) => (status, error) switch
    {
        (403, _) => "The relay's Notify API key is not accepted, or its clock is more than 30 s off: an engineer must check the key and the server's time.",
        (429, _) => "Notify is limiting how fast the relay sends: try again in a minute.",
        (>= 500, _) => "Notify is having problems: try again in a few minutes.",
        (400, _) when message is not null && message.Contains("team-only API key", StringComparison.OrdinalIgnoreCase) =>
            "The relay uses a team or test key, which cannot text the public: an engineer must configure a live key.",
        (400, _) when message is not null && message.Contains("trial mode", StringComparison.OrdinalIgnoreCase) =>
            "The Notify service is in trial mode and texts only its team: an engineer must ask Notify to make it live.",
        (400, "ValidationError") when message is not null && message.Contains("phone_number", StringComparison.OrdinalIgnoreCase) =>
            "Check the number with the caller.",
        (400, "BadRequestError") when message is not null && message.Contains("personalisation", StringComparison.OrdinalIgnoreCase) =>
            "The Notify template's placeholder does not match the relay's Placeholder setting: an engineer must fix one of them.",
        (400, _) => "An engineer should check the relay's Notify settings (template, sender).",
        _ => null,
    };

    private byte[] SerializeRequest(SmsMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("phone_number", message.To);
            writer.WriteString("template_id", templateId);
            writer.WriteStartObject("personalisation");
            writer.WriteString(placeholder, message.Body);
            writer.WriteEndObject();
            writer.WriteString("reference", message.Reference);
            if (smsSenderId is not null)
            {
                writer.WriteString("sms_sender_id", smsSenderId);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // A fresh token per request: Notify refuses one whose iat is more than 30 s from its clock.
    private void Authorize(HttpRequestMessage request) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.CreateToken(time.GetUtcNow()));
}
