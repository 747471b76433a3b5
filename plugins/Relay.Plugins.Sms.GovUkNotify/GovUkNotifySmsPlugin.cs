using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.GovUkNotify;

/// <summary>
/// GOV.UK Notify's API (v2): sends a text message from a template. The template must contain the
/// placeholder named by <c>Placeholder</c> (default <c>((message))</c>), which receives the whole text.
/// </summary>
public sealed class GovUkNotifySmsPlugin : ISmsPlugin
{
    public const string Name = "govuknotify";

    public PluginDescription Description { get; } = new(
        Name,
        typeof(GovUkNotifySmsPlugin).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        "Sends text messages through GOV.UK Notify, from a template whose placeholder receives the text.",
        [
            new PluginSetting("ApiKey", "A Notify API key: '{key name}-{service id}-{secret}' (a live key; a team key sends only to the team).", Required: true, Secret: true),
            new PluginSetting("TemplateId", "The text message template's id (a UUID).", Required: true, Secret: false),
            new PluginSetting("Placeholder", "The template's placeholder that receives the text. Default 'message' (template text: ((message))).", Required: false, Secret: false),
            new PluginSetting("SmsSenderId", "The id of one of the service's text message senders (optional; Notify's default otherwise).", Required: false, Secret: false),
            new PluginSetting("BaseUrl", $"The API's address. Default {NotifySmsSender.DefaultBaseUrl}.", Required: false, Secret: false),
        ]);

    public ISmsSender CreateSender(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        string apiKey = Get(settings, "ApiKey") ?? throw new ArgumentException("ApiKey is required.", nameof(settings));
        NotifyApiKey key = NotifyApiKey.TryParse(apiKey)
            ?? throw new ArgumentException("ApiKey is not a GOV.UK Notify API key: expected '{key name}-{service id}-{secret}', the last two being UUIDs. Copy the whole key from Notify's API integration page.", nameof(settings));
        string templateId = Get(settings, "TemplateId") ?? throw new ArgumentException("TemplateId is required.", nameof(settings));
        if (!Guid.TryParse(templateId, out _))
        {
            throw new ArgumentException("TemplateId must be the template's id, a UUID (from the template's page in Notify).", nameof(settings));
        }

        string baseUrl = Get(settings, "BaseUrl") ?? NotifySmsSender.DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("BaseUrl must be an absolute http(s) URL.", nameof(settings));
        }

        return new NotifySmsSender(http, time, uri, key, templateId, Get(settings, "Placeholder") ?? "message", Get(settings, "SmsSenderId"));
    }

    private static string? Get(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
