using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.Twilio;

/// <summary>Twilio's Programmable Messaging REST API (the Messages resource, API version 2010-04-01).</summary>
public sealed class TwilioSmsPlugin : ISmsPlugin
{
    public const string Name = "twilio";

    public PluginDescription Description { get; } = new(
        Name,
        typeof(TwilioSmsPlugin).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        "Sends text messages through Twilio's Messages API.",
        [
            new PluginSetting("AccountSid", "The Twilio account SID (AC...).", Required: true, Secret: false),
            new PluginSetting("AuthToken", "The account's auth token (or use ApiKeySid and ApiKeySecret).", Required: false, Secret: true),
            new PluginSetting("ApiKeySid", "An API key SID (SK...), used with ApiKeySecret instead of the auth token.", Required: false, Secret: false),
            new PluginSetting("ApiKeySecret", "The API key's secret.", Required: false, Secret: true),
            new PluginSetting("From", "The sender: a Twilio phone number in E.164 or an alphanumeric sender ID (or use MessagingServiceSid).", Required: false, Secret: false),
            new PluginSetting("MessagingServiceSid", "A Messaging Service SID (MG...) that picks the sender.", Required: false, Secret: false),
            new PluginSetting("StatusCallback", "A URL Twilio posts delivery status to (optional).", Required: false, Secret: false),
            new PluginSetting("BaseUrl", $"The API's address. Default {TwilioSmsSender.DefaultBaseUrl}.", Required: false, Secret: false),
        ]);

    public ISmsSender CreateSender(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        string accountSid = Get(settings, "AccountSid") ?? throw new ArgumentException("AccountSid is required.", nameof(settings));
        string? apiKeySid = Get(settings, "ApiKeySid");
        string user;
        string password;
        if (apiKeySid is not null)
        {
            user = apiKeySid;
            password = Get(settings, "ApiKeySecret") ?? throw new ArgumentException("ApiKeySecret is required with ApiKeySid.", nameof(settings));
        }
        else
        {
            user = accountSid;
            password = Get(settings, "AuthToken") ?? throw new ArgumentException("AuthToken (or ApiKeySid and ApiKeySecret) is required.", nameof(settings));
        }

        string? from = Get(settings, "From");
        string? service = Get(settings, "MessagingServiceSid");
        if (from is null && service is null)
        {
            throw new ArgumentException("From or MessagingServiceSid is required: Twilio needs a sender.", nameof(settings));
        }

        Uri baseUrl = BaseUrl(Get(settings, "BaseUrl") ?? TwilioSmsSender.DefaultBaseUrl, "BaseUrl");
        return new TwilioSmsSender(http, baseUrl, accountSid, user, password, from, service, Get(settings, "StatusCallback"));
    }

    private static string? Get(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Uri BaseUrl(string value, string key) =>
        Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new ArgumentException($"{key} must be an absolute http(s) URL.", key);
}
