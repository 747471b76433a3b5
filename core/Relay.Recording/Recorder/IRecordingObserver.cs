using Relay.Recording.Segments;

namespace Relay.Recording.Recorder;

/// <summary>
/// What the host learns from a <see cref="StreamRecorder"/> as it records, to carry the recording to
/// the evidence store. <see cref="OnStarted"/> and <see cref="OnSegmentClosed"/> are called on the
/// node's recording writer thread: they must only hand the work on (queue it), never wait for I/O.
/// </summary>
public interface IRecordingObserver
{
    /// <summary>The first publisher attached: the recording's directory exists from now on.</summary>
    void OnStarted(StreamRecorder recorder, long startMicroseconds);

    /// <summary>A segment file is closed, hashed and flushed; it will not change again.</summary>
    void OnSegmentClosed(StreamRecorder recorder, SegmentInfo segment);

    /// <summary>
    /// Before the manifest is signed, on the writer thread (like signing itself: at shutdown the thread
    /// pool may be too busy to run anything in time): writes the session's location trail for
    /// <paramref name="startMicroseconds"/>..<paramref name="endMicroseconds"/> into
    /// <see cref="StreamRecorder.Directory"/> and returns its SHA-256 (hex), or null when there is none.
    /// Keep it short: a database read and one small file.
    /// </summary>
    string? WriteLocationTrail(StreamRecorder recorder, long startMicroseconds, long endMicroseconds);
}
