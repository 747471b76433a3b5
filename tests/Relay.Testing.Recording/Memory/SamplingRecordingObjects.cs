using Relay.Recording.Bundles;

namespace Relay.Testing.Recording.Memory;

/// <summary>Samples the heap whenever a file of the recording is opened.</summary>
public sealed class SamplingRecordingObjects(IRecordingObjects inner, LiveHeap heap) : IRecordingObjects
{
    public Guid RecordingId => inner.RecordingId;

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        heap.Sample();
        return inner.OpenReadAsync(name, cancellationToken);
    }
}
