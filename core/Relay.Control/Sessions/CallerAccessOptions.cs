namespace Relay.Control.Sessions;

/// <summary>How hard guessing caller links is made (<c>Relay:Sessions</c>).</summary>
public sealed class CallerAccessOptions
{
    /// <summary>Failed guesses (unknown tokens) one client address may make in <see cref="FailedGuessWindow"/>; 10 by default.</summary>
    public int FailedGuessLimit { get; set; } = 10;

    /// <summary>The sliding window failed guesses are counted over; 15 minutes by default.</summary>
    public TimeSpan FailedGuessWindow { get; set; } = TimeSpan.FromMinutes(15);
}
