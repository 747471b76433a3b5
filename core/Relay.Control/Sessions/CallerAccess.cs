using System.Net;

namespace Relay.Control.Sessions;

/// <summary>
/// The caller's way in: checking a link token without spending it (opening the page), spending it
/// at Start for a caller key, and checking that key afterwards (WHIP, the caller's WebSocket, Stop).
/// Failed guesses at tokens are limited per client address (<see cref="CallerAccessOptions"/>).
/// </summary>
public sealed class CallerAccess : ICallerAuthenticator
{
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly FailedGuessLimiter _guesses;

    public CallerAccess(ISessionStore store, CallerAccessOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _guesses = new FailedGuessLimiter(options.FailedGuessLimit, options.FailedGuessWindow, time);
    }

    /// <summary>What <paramref name="token"/> is worth, without spending it (opening the caller page).</summary>
    public async Task<CallerLinkCheck> CheckLinkAsync(string? token, IPAddress? client, CancellationToken cancellationToken = default)
    {
        string clientKey = FailedGuessLimiter.ClientKey(client);
        if (_guesses.IsLimited(clientKey, out TimeSpan retryAfter))
        {
            return new CallerLinkCheck(CallerLinkStatus.Limited, null, retryAfter);
        }

        CallSession? session = CallerSecret.IsWellFormed(token)
            ? await _store.FindByTokenHashAsync(CallerSecret.Hash(token!), cancellationToken).ConfigureAwait(false)
            : null;
        if (session is null || !CallerSecret.Matches(token!, session.CallerTokenHash))
        {
            _guesses.RecordFailure(clientKey);
            return new CallerLinkCheck(CallerLinkStatus.Unknown, null, TimeSpan.Zero);
        }

        return new CallerLinkCheck(StatusOf(session, _time.GetUtcNow()), session, TimeSpan.Zero);
    }

    /// <summary>The caller's Start: spends <paramref name="token"/> (once only) and mints the caller key.</summary>
    public async Task<CallerStart> StartAsync(string? token, IPAddress? client, CancellationToken cancellationToken = default)
    {
        CallerLinkCheck check = await CheckLinkAsync(token, client, cancellationToken).ConfigureAwait(false);
        if (check.Status != CallerLinkStatus.Valid)
        {
            return new CallerStart(check.Status, check.Session, null, check.RetryAfter);
        }

        string key = CallerSecret.Create();
        DateTimeOffset now = _time.GetUtcNow();
        CallSession? started = await _store.SpendTokenAsync(check.Session!.CallerTokenHash, CallerSecret.Hash(key), now, cancellationToken).ConfigureAwait(false);
        if (started is not null)
        {
            return new CallerStart(CallerLinkStatus.Valid, started, key, TimeSpan.Zero);
        }

        // Another Start (or an end, or the expiry) won between the check and the update: say which.
        CallSession? current = await _store.FindByTokenHashAsync(check.Session.CallerTokenHash, cancellationToken).ConfigureAwait(false);
        return current is null
            ? new CallerStart(CallerLinkStatus.Unknown, null, null, TimeSpan.Zero)
            : new CallerStart(StatusOf(current, now) is CallerLinkStatus.Valid ? CallerLinkStatus.Spent : StatusOf(current, now), current, null, TimeSpan.Zero);
    }

    /// <summary>The session when <paramref name="callerKey"/> is its caller key, in any state (ended included); otherwise null.</summary>
    public async Task<CallSession?> FindByCallerKeyAsync(string sessionId, string? callerKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        if (!CallerSecret.IsWellFormed(callerKey))
        {
            return null;
        }

        CallSession? session = await _store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return session?.CallerKeyHash is { } hash && CallerSecret.Matches(callerKey!, hash) ? session : null;
    }

    public async ValueTask<CallerGrant?> AuthenticateAsync(string sessionId, string callerKey, CancellationToken ct)
    {
        CallSession? session = await FindByCallerKeyAsync(sessionId, callerKey, ct).ConfigureAwait(false);
        return session is { State: not SessionState.Ended } ? new CallerGrant(session.Id, session.Mode, session.Audio) : null;
    }

    private static CallerLinkStatus StatusOf(CallSession session, DateTimeOffset now) =>
        session.CallerTokenSpentAt is not null ? CallerLinkStatus.Spent
        : session.State == SessionState.Ended ? CallerLinkStatus.Ended
        : now >= session.CallerTokenExpiresAt ? CallerLinkStatus.Expired
        : session.State == SessionState.Live ? CallerLinkStatus.Spent
        : CallerLinkStatus.Valid;
}
