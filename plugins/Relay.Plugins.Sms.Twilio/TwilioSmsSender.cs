using System.Globalization;
using System.Net;
using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.Twilio;

/// <summary>
/// Sends through the Messages resource:
/// <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded <c>To</c>, <c>From</c> or
/// <c>MessagingServiceSid</c>, <c>Body</c>, HTTP Basic auth (AccountSid:AuthToken or API key SID:secret);
/// 201 with the message (<c>sid</c>, <c>status</c>). Errors come as
/// <c>{"code","message","more_info","status"}</c>. Status: <c>GET .../Messages/{Sid}.json</c>.
/// </summary>
internal sealed class TwilioSmsSender : ISmsSender
{
    public const string DefaultBaseUrl = "https://api.twilio.com/";
    private const string Provider = "Twilio";

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string _accountSid;
    private readonly string _user;
    private readonly string _password;
    private readonly string? _from;
    private readonly string? _messagingServiceSid;
    private readonly string? _statusCallback;

    public TwilioSmsSender(HttpClient http, Uri baseUrl, string accountSid, string user, string password, string? from, string? messagingServiceSid, string? statusCallback)
    {
        _http = http;
        _baseUrl = baseUrl;
        _accountSid = accountSid;
        _user = user;
        _password = password;
        _from = from;
        _messagingServiceSid = messagingServiceSid;
        _statusCallback = statusCallback;
    }

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var form = new List<KeyValuePair<string, string>> { new("To", message.To) };
        if (_messagingServiceSid is not null)
        {
            form.Add(new("MessagingServiceSid", _messagingServiceSid));
        }

        if (_from is not null)
        {
            form.Add(new("From", _from));
        }

        form.Add(new("Body", message.Body));
        if (_statusCallback is not null)
        {
            form.Add(new("StatusCallback", _statusCallback));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, AccountUri("Messages.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = ProviderHttp.Basic(_user, _password);
        ProviderResponse response = await ProviderHttp.SendAsync(_http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (response.IsSuccess)
        {
            string? sid = json?.RootElement.GetString("sid");
            return sid is null
                ? SmsSendResult.Refused(ProviderHttp.DescribeUnreadableSuccess(Provider, response), retryable: false)
                : SmsSendResult.Sent(sid, MapStatus(json!.RootElement.GetString("status")));
        }

        return SmsSendResult.Refused(DescribeError(response, json), response.Retryable);
    }

    public async Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerMessageId);
        using var request = new HttpRequestMessage(HttpMethod.Get, AccountUri("Messages/" + Uri.EscapeDataString(providerMessageId) + ".json"));
        request.Headers.Authorization = ProviderHttp.Basic(_user, _password);
        ProviderResponse response = await ProviderHttp.SendAsync(_http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (!response.IsSuccess || json is null)
        {
            return new SmsDeliveryReport(SmsDeliveryState.Unknown, DescribeError(response, json), null);
        }

        JsonElement root = json.RootElement;
        string? errorCode = root.GetString("error_code");
        string? errorMessage = root.GetString("error_message");
        string? status = root.GetString("status");
        string detail = errorCode is null
            ? $"Twilio status: {status ?? "none"}."
            : $"Twilio status: {status ?? "none"}; error {errorCode}{(errorMessage is null ? "" : ": " + errorMessage)} (https://www.twilio.com/docs/errors/{errorCode}).";
        return new SmsDeliveryReport(MapStatus(status), detail, ParseDate(root.GetString("date_updated")));
    }

    public async Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        // Fetching the account resource checks the address and the credentials without sending anything.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, "2010-04-01/Accounts/" + Uri.EscapeDataString(_accountSid) + ".json"));
        request.Headers.Authorization = ProviderHttp.Basic(_user, _password);
        ProviderResponse response = await ProviderHttp.SendAsync(_http, request, Provider, cancellationToken).ConfigureAwait(false);
        using JsonDocument? json = ProviderHttp.TryParseObject(response.Body);
        if (response.IsSuccess && json is not null)
        {
            string? status = json.RootElement.GetString("status");
            return status is null or "active"
                ? PluginHealth.Ok($"Twilio accepts the credentials for account {_accountSid}.")
                : PluginHealth.Failing($"Twilio account {_accountSid} is {status}: it cannot send messages.");
        }

        return PluginHealth.Failing(DescribeError(response, json));
    }

    /// <summary>Twilio's message status values (queued, sending, sent, delivered, undelivered, failed, ...).</summary>
    internal static SmsDeliveryState MapStatus(string? status) => status switch
    {
        "accepted" or "scheduled" or "queued" or "sending" => SmsDeliveryState.Queued,
        "sent" => SmsDeliveryState.Sent,
        "delivered" or "read" => SmsDeliveryState.Delivered,
        "failed" or "undelivered" or "canceled" => SmsDeliveryState.Failed,
        _ => SmsDeliveryState.Unknown,
    };

    private static DateTimeOffset? ParseDate(string? value) =>
        // Twilio dates are RFC 2822: "Tue, 26 Jul 2016 12:50:07 +0000".
        value is not null && DateTimeOffset.TryParseExact(value, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
            ? at
            : null;

    private static string DescribeError(ProviderResponse response, JsonDocument? json)
    {
        string? code = json?.RootElement.GetString("code");
        string? text = json?.RootElement.GetString("message");
        if (code is null && text is null)
        {
            return ProviderHttp.DescribeUnexpected(Provider, response);
        }

        string? moreInfo = json!.RootElement.GetString("more_info");
        string what = $"Twilio refused it: {text ?? "no reason given"} (Twilio error {code ?? "?"}, HTTP {response.Status}{(moreInfo is null ? "" : ", " + moreInfo)}).";
        return Advice(code, response.Status) is { } advice ? what + " " + advice : what;
    }

    // What an officer (or the engineer they call) does about the commonest refusals.
    private static string? Advice(string? code, int status) => code switch
    {
        "20003" or "20005" => "The relay's Twilio credentials are not accepted: an engineer must check AccountSid and AuthToken (or the API key).",
        "21211" or "21614" => "Check the number with the caller: it is not a valid mobile number.",
        "21408" or "21612" => "Twilio will not send to this number from this account (region or carrier not enabled): use another way to reach the caller.",
        "21610" => "The phone has replied STOP to this sender: ask the caller to text START to it, or use another way to reach them.",
        "21606" or "21659" or "21212" => "The relay's sender (From) is not usable: an engineer must check the Twilio settings.",
        "20429" or "14107" => "Twilio is rate-limiting the relay: try again in a minute.",
        _ when status == (int)HttpStatusCode.TooManyRequests => "Twilio is rate-limiting the relay: try again in a minute.",
        _ when status >= 500 => "Twilio is having problems: try again in a few minutes.",
        _ => null,
    };

    private Uri AccountUri(string relative) =>
        new(_baseUrl, "2010-04-01/Accounts/" + Uri.EscapeDataString(_accountSid) + "/" + relative);
}
