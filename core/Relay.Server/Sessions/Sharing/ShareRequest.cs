namespace Relay.Server.Sessions.Sharing;

/// <summary>The body of <c>POST /api/sessions/{id}/shares</c>.</summary>
internal sealed class ShareRequest
{
    /// <summary>The sign-in name of the officer to share with.</summary>
    public string? Officer { get; set; }

    /// <summary>Why; kept in the audit log.</summary>
    public string? Reason { get; set; }
}

/// <summary>One share as the API shows it.</summary>
internal sealed record ShareResponse(string Officer, string SharedBy, DateTimeOffset SharedAt, string Reason);
