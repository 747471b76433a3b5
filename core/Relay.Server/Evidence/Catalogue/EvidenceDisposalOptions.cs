namespace Relay.Server.Evidence.Catalogue;

/// <summary>The scheduled disposal of evidence whose retention has run out (<c>Relay:Evidence:Disposal</c>).</summary>
internal sealed class EvidenceDisposalOptions
{
    public const string SectionName = "Relay:Evidence:Disposal";

    /// <summary>Run disposal on the schedule. Off: nothing is disposed of (items stay due, and are disposed of once it is on again).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between runs; the first run is one interval after the relay starts.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many items per run; the rest wait for the next.</summary>
    public int BatchSize { get; set; } = 100;
}
