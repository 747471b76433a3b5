namespace Relay.Server.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>; every field is checked by <see cref="SessionRequestValidator"/>.</summary>
internal sealed class CreateSessionRequest
{
    public string? Incident { get; set; }

    public string? Phone { get; set; }

    public string? Mode { get; set; }

    public string? Retention { get; set; }
}
