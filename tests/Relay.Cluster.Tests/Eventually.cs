using System.Diagnostics;

namespace Relay.Cluster.Tests;

/// <summary>Polls a condition that another process (redis-server) or the client's background work makes true; fails with a message after a generous bound.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Not within {seconds} s: {what}");
    }

    public static Task TrueAsync(Func<bool> condition, string what, double seconds = 20) =>
        TrueAsync(() => Task.FromResult(condition()), what, seconds);
}
