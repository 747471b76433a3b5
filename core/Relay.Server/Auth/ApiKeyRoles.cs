namespace Relay.Server.Auth;

/// <summary>What a key may do.</summary>
internal static class ApiKeyRoles
{
    /// <summary>Creates and ends sessions, watches streams (WHEP), and may publish (WHIP).</summary>
    public const string Officer = "officer";

    /// <summary>A WHIP client (OBS, GStreamer, a body camera gateway): publishes to existing sessions only.</summary>
    public const string Publisher = "publisher";

    /// <summary>Reads /metrics when it requires a key; nothing else.</summary>
    public const string Operator = "operator";

    public static IReadOnlyList<string> All { get; } = [Officer, Publisher, Operator];

    public static bool IsKnown(string? role) => role is Officer or Publisher or Operator;
}
