using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.Vonage;

/// <summary>
/// Sends through Vonage's SMS API: <c>POST /sms/json</c>, form-encoded <c>api_key</c>, <c>api_secret</c>,
/// <c>from</c>, <c>to</c> (international digits, no +), <c>text</c>, <c>client-ref</c>. The answer is HTTP 200
/// with <c>{"message-count", "messages":[{"status", "message-id" | "error-text", ...}]}</c>, one entry per
/// part; status "0" is accepted, anything else is Vonage's error code. Vonage reports delivery only through
/// delivery-receipt webhooks, so <see cref="GetDeliveryStatusAsync"/> answers Unknown.
/// </summary>
internal sealed class VonageSmsSender(HttpClient http, Uri baseUrl, string apiKey, string apiSecret, string from, string? callback) : ISmsSender
{
    public const string DefaultBaseUrl = "https://rest.nexmo.com/";
    private const string Provider = "Vonage";
    private const int MaxClientRefLength = 100;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var form = new List<KeyValuePair<string, string>>
        {
            new("api_key", apiKey),
            new("api_secret", apiSecret),
            new("from", from),
            new("to", message.To.TrimStart('+')),
            new("text", message.Body),
            new("client-ref", message.Reference.Length > MaxClientRefLength ? message.Reference[..MaxClientRefLength] : message.Reference),
        };
        if (message.Body.Any(static c => c > '\u007f'))
        {
            // Vonage sends "text" as GSM-7 unless told otherwise; anything else arrives garbled.
            form.Add(new("type", "unicode"));
        }

        if (callback is not null)
        {
            form.Add(new("callback", callback));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "sms/json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        ProviderResponse response = await ProviderHttp.SendAsync(http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (json is null || !json.RootElement.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return response.IsSuccess
                ? SmsSendResult.Refused(ProviderHttp.DescribeUnreadableSuccess(Provider, response), retryable: false)
                : SmsSendResult.Refused(ProviderHttp.DescribeUnexpected(Provider, response), response.Retryable);
        }

        // A long text goes as several parts, each with its own status; it is sent only if every part was accepted.
        string? firstId = null;
        foreach (JsonElement part in messages.EnumerateArray())
        {
            string? status = part.GetString("status");
            if (status != "0")
            {
                return SmsSendResult.Refused(DescribeError(status, part.GetString("error-text")), IsRetryable(status));
            }

            firstId ??= part.GetString("message-id");
        }

        return firstId is null
            ? SmsSendResult.Refused(ProviderHttp.DescribeUnreadableSuccess(Provider, response), retryable: false)
            : SmsSendResult.Sent(firstId, SmsDeliveryState.Queued);
    }

    public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(new SmsDeliveryReport(
            SmsDeliveryState.Unknown,
            "Vonage accepted the message; it reports delivery only through delivery-receipt webhooks, which this relay does not receive. Ask the caller whether the text arrived.",
            null));

    public async Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        // The account balance checks the address and the credentials without sending anything.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "account/get-balance"));
        request.Headers.Authorization = ProviderHttp.Basic(apiKey, apiSecret);
        ProviderResponse response = await ProviderHttp.SendAsync(http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (response.IsSuccess && json is not null)
        {
            return PluginHealth.Ok($"Vonage accepts the credentials for API key {apiKey}.");
        }

        return PluginHealth.Failing(response.Status == 401
            ? $"Vonage does not accept the credentials for API key {apiKey} (HTTP 401): an engineer must check ApiKey and ApiSecret."
            : ProviderHttp.DescribeUnexpected(Provider, response));
    }

    // Throttled, internal error, too many binds: the same message may go later.
    internal static bool IsRetryable(string? status) => status is "1" or "5" or "10";

    internal static string DescribeError(string? status, string? errorText)
    {
        string what = $"Vonage refused it: {(string.IsNullOrWhiteSpace(errorText) ? "no reason given" : errorText)} (Vonage status {status ?? "missing"}).";
        string? advice = status switch
        {
            "1" or "10" => "Vonage is limiting how fast the relay sends: try again in a minute.",
            "5" => "Vonage had an internal error: try again in a few minutes.",
            "3" or "6" or "22" => "Check the number with the caller: Vonage cannot route a text to it.",
            "7" => "This number is barred from receiving texts from the relay: use another way to reach the caller.",
            "33" => "This number is no longer in service: check it with the caller.",
            "4" or "8" or "9" or "11" or "14" or "32" => "The relay's Vonage account cannot send (credentials, suspension or credit): an engineer must check it.",
            "15" => "The relay's sender (From) is not allowed: an engineer must check the Vonage settings.",
            "29" => "The relay's Vonage account is a trial that may text only its registered test numbers: an engineer must upgrade it.",
            "2" or "12" or "23" => "The relay sent Vonage a request it cannot use: an engineer should check the settings and the relay's log.",
            _ => null,
        };
        return advice is null ? what : what + " " + advice;
    }
}
