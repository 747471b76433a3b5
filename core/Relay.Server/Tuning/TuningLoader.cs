namespace Relay.Server.Tuning;

/// <summary>
/// Applies the stored tuning at start: after the database is migrated (hosted services start in
/// order) and before the server listens, so the first session already has the tuned values.
/// </summary>
internal sealed class TuningLoader(LiveTuning tuning) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tuning.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
