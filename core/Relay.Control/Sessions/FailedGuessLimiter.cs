using System.Net;
using System.Net.Sockets;

namespace Relay.Control.Sessions;

/// <summary>
/// Failed guesses per client address over a sliding window. An address at the limit is refused
/// outright, right token or not, until its oldest failure leaves the window: otherwise a guesser
/// would learn from the answer. IPv6 addresses count by /64, the block one subscriber is usually given.
/// </summary>
public sealed class FailedGuessLimiter
{
    // Above this many tracked addresses, addresses whose failures have all left the window are dropped.
    private const int PruneAbove = 10_000;

    private readonly int _limit;
    private readonly long _windowTicks;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<long>> _failures = new(StringComparer.Ordinal);

    public FailedGuessLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _limit = limit;
        _windowTicks = window.Ticks;
        _time = time;
    }

    /// <summary>Whether <paramref name="client"/> has used up its guesses; if so, how long until one frees up.</summary>
    public bool IsLimited(string client, out TimeSpan retryAfter)
    {
        long now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (_failures.TryGetValue(client, out Queue<long>? failures))
            {
                Expire(failures, now);
                if (failures.Count >= _limit)
                {
                    retryAfter = TimeSpan.FromTicks(failures.Peek() + _windowTicks - now);
                    return true;
                }
            }
        }

        retryAfter = TimeSpan.Zero;
        return false;
    }

    public void RecordFailure(string client)
    {
        long now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (!_failures.TryGetValue(client, out Queue<long>? failures))
            {
                if (_failures.Count >= PruneAbove)
                {
                    Prune(now);
                }

                failures = new Queue<long>(_limit);
                _failures[client] = failures;
            }

            Expire(failures, now);
            failures.Enqueue(now);
            while (failures.Count > _limit)
            {
                failures.Dequeue();
            }
        }
    }

    /// <summary>The key an address counts under: IPv4 as is (IPv4-mapped IPv6 included), IPv6 by its /64.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private void Expire(Queue<long> failures, long now)
    {
        while (failures.Count > 0 && failures.Peek() + _windowTicks <= now)
        {
            failures.Dequeue();
        }
    }

    private void Prune(long now)
    {
        List<string>? idle = null;
        foreach (KeyValuePair<string, Queue<long>> entry in _failures)
        {
            Expire(entry.Value, now);
            if (entry.Value.Count == 0)
            {
                (idle ??= []).Add(entry.Key);
            }
        }

        foreach (string client in idle ?? [])
        {
            _failures.Remove(client);
        }
    }
}
