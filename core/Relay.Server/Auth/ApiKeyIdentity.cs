namespace Relay.Server.Auth;

/// <summary>The holder of a presented API key.</summary>
internal sealed record ApiKeyIdentity(string Name, string Role);
