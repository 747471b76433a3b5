namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>A session created through the API and started as the caller would: its id and the caller key (the WHIP Bearer).</summary>
public sealed record RelaySession(string Id, string CallerKey);
