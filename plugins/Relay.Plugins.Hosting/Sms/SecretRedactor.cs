using System.Text;
using Relay.Plugins.Abstractions;

namespace Relay.Plugins.Hosting.Sms;

/// <summary>Keeps the values of a plugin's secret settings out of anything the host logs or reports.</summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly PluginDescription _description;
    private readonly string[] _secretValues;

    public SecretRedactor(PluginDescription description, IReadOnlyDictionary<string, string?> settings)
    {
        _description = description;
        var values = new List<string>();
        foreach (PluginSetting setting in description.Settings)
        {
            if (setting.Secret && settings.TryGetValue(setting.Key, out string? value) && !string.IsNullOrEmpty(value))
            {
                values.Add(value);
            }
        }

        // Longest first, so a secret containing another is masked whole.
        values.Sort(static (a, b) => b.Length.CompareTo(a.Length));
        _secretValues = [.. values];
    }

    public string Redact(string text)
    {
        foreach (string secret in _secretValues)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>"Key=value" for settings the plugin declares as not secret; secrets and undeclared keys show only whether they are set.</summary>
    public string Describe(IReadOnlyDictionary<string, string?> settings)
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, string?> setting in settings.OrderBy(static s => s.Key, StringComparer.OrdinalIgnoreCase))
        {
            PluginSetting? declared = _description.Settings.FirstOrDefault(s => string.Equals(s.Key, setting.Key, StringComparison.OrdinalIgnoreCase));
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(setting.Key).Append('=');
            text.Append(declared is { Secret: false } ? setting.Value : string.IsNullOrEmpty(setting.Value) ? "(empty)" : "(set, not shown)");
        }

        return Redact(text.Length == 0 ? "(none)" : text.ToString());
    }
}
