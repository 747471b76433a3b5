using System.Diagnostics.Metrics;
using Relay.Control.Location;
using Relay.Server.Recording;

namespace Relay.Server.Evidence.Store;

/// <summary>
/// The evidence path's instruments, on the relay's meter (<c>Relay</c>) so <c>/metrics</c> shows them:
/// the spool's backlog, upload failures, quarantine, the store's health, and the location fixes kept.
/// </summary>
internal static class EvidenceMetrics
{
    public static void Register(Meter meter, EvidenceUploader uploader, EvidenceStoreHealth health, SqliteLocationFixLog? fixes)
    {
        meter.CreateObservableGauge("relay.evidence_spool_objects", () => uploader.Status.PendingObjects, description: "Evidence objects (segments, trails, manifests) waiting in the spool for the store.");
        meter.CreateObservableGauge("relay.evidence_spool_bytes", () => uploader.Status.PendingBytes, unit: "By", description: "Bytes of evidence waiting in the spool for the store.");
        meter.CreateObservableGauge("relay.evidence_quarantined_objects", () => uploader.Status.QuarantinedObjects, description: "Evidence objects the store refused for good, kept in the spool's quarantine for a person to resolve.");
        meter.CreateObservableGauge("relay.evidence_upload_consecutive_failures", () => uploader.Status.ConsecutiveFailures, description: "Failed upload attempts since the last success (0 when the store keeps up).");
        meter.CreateObservableGauge("relay.evidence_store_up", () => health.LastStoreHealth.Healthy ? 1 : 0, description: "1 when the evidence store's last health check passed, else 0.");
        meter.CreateObservableCounter("relay.evidence_upload_failures", () => uploader.FailedAttempts, description: "Failed evidence upload attempts (each retried with backoff).");
        meter.CreateObservableCounter("relay.evidence_uploaded_objects", () => uploader.UploadedObjects, description: "Evidence objects uploaded and confirmed by the store.");
        meter.CreateObservableCounter("relay.evidence_recordings_stored", () => uploader.StoredRecordings, description: "Recordings confirmed whole in the evidence store.");
        meter.CreateObservableCounter("relay.evidence_spool_failures", () => uploader.EnqueueFailures, description: "Closed recording files that could not be copied into the spool (handed over again at the next start).");
        if (fixes is not null)
        {
            meter.CreateObservableCounter("relay.location_fixes_kept", () => fixes.Written, description: "Location fixes written to the database as evidence.");
            meter.CreateObservableCounter("relay.location_fix_write_failures", () => fixes.Failures, description: "Batches of location fixes that failed to write (each retried).");
        }
    }
}
