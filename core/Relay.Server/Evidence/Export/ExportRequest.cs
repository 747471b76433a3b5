namespace Relay.Server.Evidence.Export;

/// <summary>The body of <c>POST /api/evidence/{id}/export</c>: why, and (for a disclosure) to whom.</summary>
internal sealed record ExportRequest(string? Reason, string? Recipient);
