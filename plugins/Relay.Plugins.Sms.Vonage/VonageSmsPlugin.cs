using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.Vonage;

/// <summary>Vonage's (Nexmo's) SMS API, <c>POST /sms/json</c>.</summary>
public sealed class VonageSmsPlugin : ISmsPlugin
{
    public const string Name = "vonage";

    public PluginDescription Description { get; } = new(
        Name,
        typeof(VonageSmsPlugin).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        "Sends text messages through Vonage's SMS API. Delivery is reported by Vonage only through delivery-receipt webhooks, so Relay shows it as unknown.",
        [
            new PluginSetting("ApiKey", "The Vonage API key.", Required: true, Secret: false),
            new PluginSetting("ApiSecret", "The Vonage API secret.", Required: true, Secret: true),
            new PluginSetting("From", "The sender: a Vonage virtual number (digits, no +) or an alphanumeric sender ID.", Required: true, Secret: false),
            new PluginSetting("Callback", "A URL Vonage sends delivery receipts to (optional; Relay does not read them yet).", Required: false, Secret: false),
            new PluginSetting("BaseUrl", $"The API's address. Default {VonageSmsSender.DefaultBaseUrl}.", Required: false, Secret: false),
        ]);

    public ISmsSender CreateSender(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        string apiKey = Get(settings, "ApiKey") ?? throw new ArgumentException("ApiKey is required.", nameof(settings));
        string apiSecret = Get(settings, "ApiSecret") ?? throw new ArgumentException("ApiSecret is required.", nameof(settings));
        string from = Get(settings, "From") ?? throw new ArgumentException("From is required: Vonage needs a sender.", nameof(settings));
        string baseUrl = Get(settings, "BaseUrl") ?? VonageSmsSender.DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("BaseUrl must be an absolute http(s) URL.", nameof(settings));
        }

        return new VonageSmsSender(http, uri, apiKey, apiSecret, from.TrimStart('+'), Get(settings, "Callback"));
    }

    private static string? Get(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
