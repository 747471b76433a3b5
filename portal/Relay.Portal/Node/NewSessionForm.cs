namespace Relay.Portal.Node;

/// <summary>The New session page's fields as the person edits them.</summary>
public sealed class NewSessionForm
{
    public string Incident { get; set; } = "";

    public string Phone { get; set; } = "";

    /// <summary>"video" or "location".</summary>
    public string Mode { get; set; } = "video";

    public bool Audio { get; set; }

    /// <summary>Whether <paramref name="mode"/> is one the form offers ("video" or "location").</summary>
    public static bool IsMode(string? mode) => mode is "video" or "location";

    public string Retention { get; set; } = "";

    /// <summary>The request as entered, trimmed (no retention named: the default category); the relay checks every field.</summary>
    public NewSessionRequest ToRequest() => new(Incident.Trim(), Phone.Trim(), Mode, Mode == "video" && Audio, string.IsNullOrWhiteSpace(Retention) ? null : Retention.Trim());

    /// <summary>Ready for the next session: the incident and number go, the choices stay.</summary>
    public void Clear()
    {
        Incident = "";
        Phone = "";
    }
}
