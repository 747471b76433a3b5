using System.Diagnostics.CodeAnalysis;
using Relay.Plugins.Abstractions;
using Relay.Recording.Upload;
using Relay.Server.Recording;

namespace Relay.Server.Evidence.Store;

/// <summary>
/// Whether evidence is reaching the store: the store's own check (cached for a few seconds, so a
/// scrape or probe storm does not hammer it) and the spool (what waits, whether the last attempt failed,
/// what is quarantined for a person).
/// </summary>
internal sealed class EvidenceStoreHealth(IServiceProvider services, EvidenceUploader uploader, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan s_cacheFor = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private PluginHealth _last = PluginHealth.Ok("Not checked yet.");
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>The last store check's answer (1 for the metrics when healthy).</summary>
    public PluginHealth LastStoreHealth => Volatile.Read(ref _last);

    public EvidenceUploadStatus Spool => uploader.Status;

    public void Dispose() => _checking.Dispose();

    [SuppressMessage("Design", "CA1031", Justification = "A store's health check must never fail the probe; a throw is an unhealthy store.")]
    public async Task<EvidenceHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        EvidenceStoreSelection selection = services.GetRequiredService<EvidenceStoreSelection>();
        PluginHealth store;
        if (time.GetUtcNow() - _checkedAt < s_cacheFor)
        {
            store = LastStoreHealth;
        }
        else
        {
            await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (time.GetUtcNow() - _checkedAt >= s_cacheFor)
                {
                    try
                    {
                        _last = await selection.Store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _last = PluginHealth.Failing(e.Message);
                    }

                    _checkedAt = time.GetUtcNow();
                }

                store = _last;
            }
            finally
            {
                _checking.Release();
            }
        }

        EvidenceUploadStatus spool = uploader.Status;
        bool uploading = spool.ConsecutiveFailures == 0;
        return new EvidenceHealthReport(store.Healthy && uploading, selection.Name, store, spool);
    }
}

/// <summary>The evidence path's health: healthy when the store answers and uploads are not failing.</summary>
internal sealed record EvidenceHealthReport(bool Healthy, string Store, PluginHealth StoreHealth, EvidenceUploadStatus Spool)
{
    public string Describe() =>
        $"Evidence store '{Store}' is {(StoreHealth.Healthy ? "reachable" : "NOT reachable")}: {StoreHealth.Detail} "
        + $"{Spool.PendingObjects} objects ({Spool.PendingBytes} bytes) wait in the spool"
        + (Spool.ConsecutiveFailures > 0 ? $"; the last {Spool.ConsecutiveFailures} upload attempts failed ({Spool.LastError}), next at {Spool.NextAttemptAt:O}" : "")
        + (Spool.QuarantinedObjects > 0 ? $"; {Spool.QuarantinedObjects} objects are QUARANTINED in the spool for a person to resolve" : "")
        + ".";
}
