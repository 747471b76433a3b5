using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Relay.Recording.Manifests;

namespace Relay.Recording.Segments;

/// <summary>
/// Writes one recording's packets to segment files. The packet path appends each packet as a record
/// straight into a <see cref="Pipe"/> (its only copy); the node's recording writer thread
/// (<see cref="RecordingWriterThread"/>) takes what was appended every
/// <see cref="SegmentWriterOptions.DrainInterval"/>, writes it to the open segment file, hashing it
/// as it goes, and rolls segments by time and size.
/// </summary>
/// <remarks>
/// <para>
/// One producer: <see cref="TryAppend"/>, <see cref="ChangeTracks"/>, <see cref="CloseSegment"/> and
/// <see cref="Complete"/> are called by one thread at a time (the recording tap, under its stream's
/// lock). Lifecycle changes travel through the pipe as marker records, so the writer task sees
/// them in order with the packets.
/// </para>
/// <para>
/// Never blocks the producer: the pipe does not pause writers; instead, once more than
/// <see cref="SegmentWriterOptions.HighWaterBytes"/> wait to be written, packets are dropped and
/// counted, the stall is logged, and when the queue has drained below half the mark appending
/// resumes and the stall is recorded as a gap. The writer thread only polls (no ReadAsync): a flush
/// then never schedules work, so appending allocates nothing.
/// </para>
/// </remarks>
public sealed partial class SegmentWriter : IAsyncDisposable
{
    private const byte ControlKind = 0x80;

    private readonly string _directory;
    private readonly Guid _recordingId;
    private readonly SegmentWriterOptions _options;
    private readonly RecordingCounters _counters;
    private readonly ILogger _logger;
    private readonly ISegmentSink _sink;
    private readonly Pipe _pipe;
    private readonly PipeWriter _writer;
    private readonly ConcurrentQueue<Control> _controls = new();
    private readonly long _durationMicroseconds;
    private readonly byte[] _recordHeader = new byte[SegmentFormat.RecordHeaderLength];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _intervalMilliseconds;
    private readonly long _osFlushMilliseconds;

    // Producer side (one thread at a time).
    private long _appended;
    private bool _completed;
    private bool _stalled;
    private long _stallFrom;
    private long _stallDropped;
    private long _lastArrival;

    // Shared: bytes the writer task has taken from the pipe; packets not recorded.
    private long _drained;
    private long _dropped;

    // Writer task side.
    private IReadOnlyList<RecordedTrack> _tracks = [];
    private SegmentFile? _current;
    private int _nextIndex;
    private long _lastWrittenArrival;
    private long _retryOpenAfter = long.MinValue;
    private long _nextDrainAt;
    private long _nextOsFlushAt;
    private long _heldPackets;
    private long _heldBytes;
    private long _end;

    internal SegmentWriter(string directory, Guid recordingId, SegmentWriterOptions options, RecordingCounters counters, ILogger logger, ISegmentSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _directory = directory;
        _recordingId = recordingId;
        _options = options;
        _counters = counters;
        _logger = logger;
        _sink = sink;
        _durationMicroseconds = (long)options.SegmentDuration.TotalMicroseconds;
        _pipe = new Pipe(new PipeOptions(
            pool: RecordingBufferPool.Shared,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            resumeWriterThreshold: 0,
            minimumSegmentSize: 64 * 1024,
            useSynchronizationContext: false));
        _writer = _pipe.Writer;
        _intervalMilliseconds = Math.Max(1, (long)options.DrainInterval.TotalMilliseconds);
        _osFlushMilliseconds = (long)options.OsFlushInterval.TotalMilliseconds;
        RecordingWriterThread.Shared.Add(this);
    }

    /// <summary>Completes when everything appended is written and the last segment closed (after <see cref="Complete"/>).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Bytes appended and not yet taken by the writer task.</summary>
    public long PendingBytes => Volatile.Read(ref _appended) - Volatile.Read(ref _drained);

    /// <summary>Packets of this recording not recorded (storage stalls, write failures, too long).</summary>
    public long DroppedPackets => Volatile.Read(ref _dropped);

    /// <summary>Whether packets are being dropped because storage stalled.</summary>
    public bool IsStalled => Volatile.Read(ref _stalled);

    /// <summary>Test hook: while not set, the writer skips this recording, as on a storage stall.</summary>
    internal ManualResetEventSlim? StorageGateForTesting { get; set; }

    /// <summary>
    /// Appends one packet. False if it was dropped (storage stalled, the writer completed, or the
    /// packet too long for a record): counted, never thrown, never blocking.
    /// </summary>
    public bool TryAppend(long arrivalMicroseconds, byte trackIndex, RecordedPacketKind kind, ReadOnlySpan<byte> data)
    {
        if (_completed || data.Length > SegmentFormat.MaxDataLength)
        {
            CountDropped();
            return false;
        }

        int size = SegmentFormat.RecordHeaderLength + data.Length;
        long pending = _appended - Volatile.Read(ref _drained);
        if (_stalled)
        {
            if (pending > _options.HighWaterBytes / 2)
            {
                DropInStall();
                return false;
            }

            EndStall(arrivalMicroseconds);
        }
        else if (pending + size > _options.HighWaterBytes)
        {
            BeginStall(arrivalMicroseconds, pending);
            DropInStall();
            return false;
        }

        Span<byte> span = _writer.GetSpan(size);
        SegmentFormat.WriteRecordHeader(span, arrivalMicroseconds, trackIndex, (byte)kind, data.Length);
        data.CopyTo(span.Slice(SegmentFormat.RecordHeaderLength));
        _writer.Advance(size);
        Volatile.Write(ref _appended, _appended + size);
        _lastArrival = arrivalMicroseconds;
        Flush();
        return true;
    }

    /// <summary>The tracks of the segments from now on: the open segment is closed, the next has these in its header.</summary>
    public void ChangeTracks(IReadOnlyList<RecordedTrack> tracks, long atMicroseconds) =>
        AppendControl(new Control(ControlType.Tracks, atMicroseconds, [.. tracks], null));

    /// <summary>Closes the open segment now (the publisher has gone); the next packet opens another.</summary>
    public void CloseSegment(long atMicroseconds) => AppendControl(new Control(ControlType.CloseSegment, atMicroseconds, null, null));

    /// <summary>Records a gap in the manifest, in order with the packets.</summary>
    public void AddGap(RecordingGap gap) => AppendControl(new Control(ControlType.Gap, gap.ToMicroseconds, null, gap));

    /// <summary>No more packets: the writer task writes what is left, closes the last segment and completes <see cref="Completion"/>.</summary>
    public void Complete(long endMicroseconds)
    {
        if (_completed)
        {
            return;
        }

        if (_stalled)
        {
            EndStall(endMicroseconds);
        }

        AppendControl(new Control(ControlType.End, endMicroseconds, null, null));
        _completed = true;
        _writer.Complete();
    }

    public async ValueTask DisposeAsync()
    {
        Complete(_lastArrival);
        await _completion.Task.ConfigureAwait(false);
    }

    private void Flush()
    {
        // The pipe never pauses (no threshold) and no reader awaits (the writer task polls), so this
        // completes at once and schedules nothing.
        ValueTask<FlushResult> flush = _writer.FlushAsync();
        if (flush.IsCompleted)
        {
            flush.GetAwaiter().GetResult();
        }
        else
        {
            flush.AsTask().GetAwaiter().GetResult();
        }
    }

    private void AppendControl(Control control)
    {
        if (_completed)
        {
            return;
        }

        _controls.Enqueue(control);
        Span<byte> span = _writer.GetSpan(SegmentFormat.RecordHeaderLength);
        SegmentFormat.WriteRecordHeader(span, control.Micros, 0, ControlKind, 0);
        _writer.Advance(SegmentFormat.RecordHeaderLength);
        Volatile.Write(ref _appended, _appended + SegmentFormat.RecordHeaderLength);
        Flush();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BeginStall(long arrivalMicroseconds, long pending)
    {
        Volatile.Write(ref _stalled, true);
        _stallFrom = arrivalMicroseconds;
        _stallDropped = 0;
        _counters.OnStallStarted();
        Log.StorageStalled(_logger, _recordingId, pending);
    }

    private void DropInStall()
    {
        _stallDropped++;
        CountDropped();
    }

    private void CountDropped()
    {
        Interlocked.Increment(ref _dropped);
        _counters.AddDropped(1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndStall(long arrivalMicroseconds)
    {
        Volatile.Write(ref _stalled, false);
        _counters.OnStallEnded();
        Log.StorageRecovered(_logger, _recordingId, _stallDropped);
        AppendControl(new Control(ControlType.Gap, arrivalMicroseconds, null, new RecordingGap(_stallFrom, arrivalMicroseconds, RecordingGapReason.StorageStall, _stallDropped)));
    }

    /// <summary>
    /// Called by the <see cref="RecordingWriterThread"/>: writes what was appended if this recording's
    /// drain interval has passed. True once the writer has finished (its last segment closed).
    /// </summary>
    internal bool DrainIfDue(long nowMilliseconds)
    {
        if (nowMilliseconds < _nextDrainAt)
        {
            return false;
        }

        // The next multiple of the interval: every recording with the same interval drains on the
        // same tick, so the writer thread wakes once for all of them (RecordingWriterThread).
        _nextDrainAt = ((nowMilliseconds / _intervalMilliseconds) + 1) * _intervalMilliseconds;
        if (StorageGateForTesting is { IsSet: false })
        {
            return false;
        }

        return Drain(nowMilliseconds);
    }

    /// <summary>When <see cref="DrainIfDue"/> next has work (Environment.TickCount64 milliseconds).</summary>
    internal long NextDrainAt => _nextDrainAt;

    /// <summary>
    /// Benchmark hook: what the writer thread does at a due drain, on the calling thread, whatever the
    /// interval and the storage gate (hold the gate so the writer thread stays away meanwhile).
    /// </summary>
    internal bool DrainNowForBenchmark(long nowMilliseconds) => Drain(nowMilliseconds);

    [SuppressMessage("Design", "CA1031", Justification = "The writer reports its own failure through the log and counters; it must end the recording cleanly.")]
    private bool Drain(long nowMilliseconds)
    {
        try
        {
            if (!DrainAvailable(_pipe.Reader, ref _end))
            {
                if (nowMilliseconds >= _nextOsFlushAt)
                {
                    _nextOsFlushAt = nowMilliseconds + _osFlushMilliseconds;
                    FlushCurrentToOs();
                }

                return false;
            }
        }
        catch (Exception e)
        {
            Log.WriterFailed(_logger, _recordingId, e);
        }

        Finish();
        return true;
    }

    [SuppressMessage("Design", "CA1031", Justification = "The writer reports its own failure through the log; the recording's completion must still be signalled.")]
    private void Finish()
    {
        long end = _end == 0 ? _lastWrittenArrival : _end;
        try
        {
            CloseCurrent(end);
            _pipe.Reader.Complete();
            _sink.OnCompleted(end);
        }
        catch (Exception e)
        {
            Log.WriterFailed(_logger, _recordingId, e);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    // True once the producer has completed and everything is taken.
    private bool DrainAvailable(PipeReader reader, ref long end)
    {
        while (reader.TryRead(out ReadResult result))
        {
            ReadOnlySequence<byte> buffer = result.Buffer;
            long before = buffer.Length;
            long packets = 0;
            long bytes = 0;
            bool ended = ProcessRecords(ref buffer, ref packets, ref bytes, ref end);
            long consumed = before - buffer.Length;
            reader.AdvanceTo(buffer.Start, buffer.End);
            Interlocked.Add(ref _drained, consumed);
            // Counted as recorded once handed to the OS (FlushCurrentToOs, CloseCurrent): what a killed process keeps.
            _heldPackets += packets;
            _heldBytes += bytes;
            if (ended || result.IsCompleted)
            {
                return true;
            }

            if (consumed == 0)
            {
                break;
            }
        }

        return false;
    }

    private bool ProcessRecords(ref ReadOnlySequence<byte> buffer, ref long packets, ref long bytes, ref long end)
    {
        Span<byte> header = _recordHeader;
        while (buffer.Length >= SegmentFormat.RecordHeaderLength)
        {
            buffer.Slice(0, SegmentFormat.RecordHeaderLength).CopyTo(header);
            long arrival = BinaryPrimitives.ReadInt64LittleEndian(header);
            byte kind = header[9];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(10));
            long size = SegmentFormat.RecordHeaderLength + length;
            if (buffer.Length < size)
            {
                break;
            }

            ReadOnlySequence<byte> record = buffer.Slice(0, size);
            buffer = buffer.Slice(size);
            if (kind == ControlKind)
            {
                if (OnControl(ref end))
                {
                    return true;
                }

                continue;
            }

            if (WriteRecord(record, arrival, size))
            {
                packets++;
                bytes += size;
            }
        }

        return false;
    }

    private bool WriteRecord(ReadOnlySequence<byte> record, long arrival, long size)
    {
        if (_current is not null && (arrival - _current.Header.StartMicroseconds >= _durationMicroseconds
            || _current.Length + size + SegmentFormat.CloseRecordLength > _options.SegmentMaxBytes))
        {
            CloseCurrent(arrival);
        }

        if (_current is null && !TryOpen(arrival))
        {
            CountDropped();
            return false;
        }

        try
        {
            foreach (ReadOnlyMemory<byte> part in record)
            {
                _current!.Write(part.Span);
            }

            _current!.CountPacket();
            _lastWrittenArrival = arrival;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OnWriteFailed(e, arrival);
            CountDropped();
            return false;
        }
    }

    private bool TryOpen(long arrival)
    {
        if (arrival < _retryOpenAfter)
        {
            return false;
        }

        try
        {
            _current = SegmentFile.Create(_directory, new SegmentHeader(_recordingId, _nextIndex, arrival, _tracks), Math.Min(_options.PreallocationBytes, _options.SegmentMaxBytes));
            _nextIndex++;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OnWriteFailed(e, arrival);
            return false;
        }
    }

    // The open segment is abandoned unclosed (crash recovery closes it at the next start); opening
    // another is retried a second later, so a full disk is not tried for every packet.
    private void OnWriteFailed(Exception e, long arrival)
    {
        _counters.OnWriteError();
        Log.WriteFailed(_logger, _recordingId, e);
        if (_current is not null)
        {
            SegmentFile failed = _current;
            _current = null;
            failed.Dispose();
            TryRecoverAbandoned(Path.Combine(_directory, failed.FileName));
        }

        _retryOpenAfter = arrival + 1_000_000;
    }

    // The failed segment closed as crash recovery would, if the disk lets it; else it stays unclosed
    // for recovery at the next start, and the manifest shows its index missing.
    private void TryRecoverAbandoned(string path)
    {
        try
        {
            SegmentInfo? info = SegmentRecovery.Recover(path);
            if (info is not null)
            {
                _counters.OnSegmentClosed();
                _sink.OnSegmentClosed(info);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.WriteFailed(_logger, _recordingId, e);
        }
    }

    private bool OnControl(ref long end)
    {
        if (!_controls.TryDequeue(out Control? control))
        {
            return false;
        }

        switch (control.Type)
        {
            case ControlType.Tracks:
                CloseCurrent(control.Micros);
                _tracks = control.Tracks!;
                _sink.OnTracksChanged(_tracks);
                break;
            case ControlType.CloseSegment:
                CloseCurrent(control.Micros);
                break;
            case ControlType.Gap:
                _sink.OnGap(control.Gap!);
                break;
            default:
                end = control.Micros;
                return true;
        }

        return false;
    }

    private void FlushCurrentToOs()
    {
        if (_current is null)
        {
            return;
        }

        try
        {
            _current.FlushToOs();
            CountHeld();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OnWriteFailed(e, _lastWrittenArrival);
        }
    }

    private void CountHeld()
    {
        if (_heldPackets != 0 || _heldBytes != 0)
        {
            _counters.AddRecorded(_heldPackets, _heldBytes);
            _heldPackets = 0;
            _heldBytes = 0;
        }
    }

    private void CloseCurrent(long closeMicroseconds)
    {
        if (_current is null)
        {
            return;
        }

        SegmentFile segment = _current;
        _current = null;
        try
        {
            SegmentInfo info = segment.Close(Math.Max(closeMicroseconds, _lastWrittenArrival));
            CountHeld();
            _counters.OnSegmentClosed();
            _sink.OnSegmentClosed(info);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            segment.Dispose();
            _counters.OnWriteError();
            Log.WriteFailed(_logger, _recordingId, e);
        }
    }

    private enum ControlType
    {
        Tracks,
        CloseSegment,
        Gap,
        End,
    }

    private sealed record Control(ControlType Type, long Micros, IReadOnlyList<RecordedTrack>? Tracks, RecordingGap? Gap);

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Recording {RecordingId}: storage has stalled ({PendingBytes} bytes waiting to be written); packets are being DROPPED from the evidence until it catches up")]
        public static partial void StorageStalled(ILogger logger, Guid recordingId, long pendingBytes);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Recording {RecordingId}: storage caught up; {DroppedPackets} packets were dropped during the stall (recorded as a gap in the manifest)")]
        public static partial void StorageRecovered(ILogger logger, Guid recordingId, long droppedPackets);

        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Recording {RecordingId}: writing a segment failed; packets are dropped until a new segment can be opened")]
        public static partial void WriteFailed(ILogger logger, Guid recordingId, Exception exception);

        [LoggerMessage(EventId = 104, Level = LogLevel.Critical, Message = "Recording {RecordingId}: the segment writer failed and stopped")]
        public static partial void WriterFailed(ILogger logger, Guid recordingId, Exception exception);
    }
}
