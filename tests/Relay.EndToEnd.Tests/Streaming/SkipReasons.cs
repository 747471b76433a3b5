namespace Relay.EndToEnd.Tests.Streaming;

internal static class SkipReasons
{
    public const string NoWhipWhep = "WHIP and WHEP are not in main yet (feature/host): the relay answers POST /whip and /whep with 404.";
}
