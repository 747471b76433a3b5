using System.Runtime.CompilerServices;

namespace Relay.Media;

/// <summary>
/// Holds back a subscriber's packets until a keyframe begins, so its decoder starts on a picture it
/// can decode instead of showing corruption, and asks for that keyframe while it waits.
/// </summary>
/// <remarks>
/// A new gate is closed. While closed it drops every packet until one whose payload begins a keyframe
/// (<see cref="VideoPayload.GetKeyframeStatus(VideoCodec, ReadOnlySpan{byte})"/>), which opens it and
/// is forwarded; from then on everything is forwarded. Packets of codecs the relay does not inspect
/// (<see cref="KeyframeStatus.Unknown"/>, such as audio) open it at once. While waiting it asks for a
/// keyframe on the first dropped packet and again at most once per <see cref="RequestInterval"/>, in
/// case the request or the keyframe is lost. <see cref="Close"/> starts waiting again, e.g. after the
/// publisher reconnects (the new encoder's frames do not follow the old ones). Times are
/// <see cref="TimeProvider.GetTimestamp"/> ticks. Single owner: the worker thread that owns the stream
/// and its subscribers calls every member.
/// </remarks>
public sealed class KeyframeGate
{
    /// <summary>Default spacing of keyframe requests while waiting.</summary>
    public static readonly TimeSpan DefaultRequestInterval = TimeSpan.FromSeconds(1);

    private readonly long _requestIntervalTicks;
    private bool _isOpen;
    private bool _hasRequested;
    private long _lastRequest;

    /// <param name="timeProvider">Source of the timestamp frequency the caller's times use.</param>
    /// <param name="requestInterval">Least time between two keyframe requests while waiting; default 1 s.</param>
    public KeyframeGate(TimeProvider timeProvider, TimeSpan? requestInterval = null)
    {
        long frequency = MediaTime.FrequencyOf(timeProvider);
        RequestInterval = requestInterval ?? DefaultRequestInterval;
        _requestIntervalTicks = MediaTime.ToTicks(RequestInterval, frequency, nameof(requestInterval));
    }

    /// <summary>Whether packets are being forwarded.</summary>
    public bool IsOpen => _isOpen;

    /// <summary>Least time between two keyframe requests while waiting.</summary>
    public TimeSpan RequestInterval { get; }

    /// <summary>Packets dropped while waiting for a keyframe.</summary>
    public long DroppedPackets { get; private set; }

    /// <summary>Decides what to do with a packet whose keyframe status is <paramref name="status"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public KeyframeGateResult Process(KeyframeStatus status, long now)
    {
        if (_isOpen)
        {
            return KeyframeGateResult.Forward;
        }

        return ProcessClosed(status, now);
    }

    /// <summary>Closes the gate: drop until the next keyframe, and ask for one on the next packet.</summary>
    public void Close()
    {
        _isOpen = false;
        _hasRequested = false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private KeyframeGateResult ProcessClosed(KeyframeStatus status, long now)
    {
        if (status != KeyframeStatus.NotKeyframeStart)
        {
            _isOpen = true;
            return KeyframeGateResult.Forward;
        }

        DroppedPackets++;
        if (_hasRequested && now - _lastRequest < _requestIntervalTicks)
        {
            return KeyframeGateResult.Drop;
        }

        _hasRequested = true;
        _lastRequest = now;
        return KeyframeGateResult.DropAndRequestKeyframe;
    }
}
