namespace Relay.Server.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>; every field is checked by <see cref="SessionRequestValidator"/>.</summary>
internal sealed class CreateSessionRequest
{
    public string? Incident { get; set; }

    public string? Phone { get; set; }

    public string? Mode { get; set; }

    /// <summary>Whether to ask for sound with the video; false when absent.</summary>
    public bool? Audio { get; set; }

    public string? Retention { get; set; }
}
