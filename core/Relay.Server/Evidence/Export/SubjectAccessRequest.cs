namespace Relay.Server.Evidence.Export;

/// <summary>The body of <c>POST /api/subject-access</c>: the data subject's number (E.164) and why.</summary>
internal sealed record SubjectAccessRequest(string? Phone, string? Reason);
