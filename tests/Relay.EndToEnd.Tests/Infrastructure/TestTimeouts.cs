namespace Relay.EndToEnd.Tests.Infrastructure;

internal static class TestTimeouts
{
    /// <summary>
    /// A backstop for a whole test, in milliseconds; every wait inside has its own, shorter limit
    /// that says what did not happen. The processes a test starts are killed when it is disposed.
    /// </summary>
    public const int Test = 90_000;
}
