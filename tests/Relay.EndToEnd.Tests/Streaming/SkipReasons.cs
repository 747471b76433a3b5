namespace Relay.EndToEnd.Tests.Streaming;

internal static class SkipReasons
{
    public const string NoNackAnswering =
        "The relay in main does not answer viewers' NACKs yet (feature/fanout): with 5% loss the viewer NACKs, relay_nacks_received_total stays 0, and the picture freezes.";
}
