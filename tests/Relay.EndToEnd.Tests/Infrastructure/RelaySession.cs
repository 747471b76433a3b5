namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>A session created through the API: its id and the caller's token (the WHIP Bearer).</summary>
public sealed record RelaySession(string Id, string CallerToken);
