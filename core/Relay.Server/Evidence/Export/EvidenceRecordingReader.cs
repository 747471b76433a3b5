using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Recording.Bundles;
using Relay.Server.Recording;

namespace Relay.Server.Evidence.Export;

/// <summary>
/// Where an export reads a recording's files: the evidence store (from DI) once the catalogue says the
/// recording is stored, otherwise (or for a file the store does not have yet) the node's local
/// recording directory, <c>&lt;Relay:Recording:Directory&gt;/&lt;recordingId "D"&gt;/</c>.
/// </summary>
internal sealed class EvidenceRecordingReader(RecordingService recordings, IServiceProvider services)
{
    public IRecordingObjects Open(EvidenceRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        DirectoryRecordingObjects local = DirectoryRecordingObjects.Under(recordings.Directory, recording.RecordingId);
        IEvidenceStore? store = recording.Store is null ? null : services.GetService<IEvidenceStore>();
        return store is null ? local : new Stored(store, recording.RecordingId, local);
    }

    private sealed class Stored(IEvidenceStore store, Guid recordingId, DirectoryRecordingObjects local) : IRecordingObjects
    {
        public Guid RecordingId => recordingId;

        public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
        {
            if (!EvidenceObjectKey.TryCreate(recordingId.ToString("D"), name, out EvidenceObjectKey key))
            {
                return null;
            }

            try
            {
                return await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (EvidenceStoreException e) when (e.Error == EvidenceStoreError.NotFound)
            {
                return await local.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
