using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Bench.Recording;

/// <summary>
/// The recording path for one 1,200-byte RTP packet. <see cref="RecordPacketSustained"/>: what the
/// stream's tap does on the packet path (map the track, convert the arrival time, append the record
/// to the pipe) with the writer task draining to a file concurrently; every 1,024 packets the
/// benchmark waits while more than 16 MiB are queued, so the figure is the rate one recording
/// sustains, the writer's cost included when it is the slower side. <see cref="WriteAndHashRecord"/>:
/// the writer task's share alone (write to the segment file, SHA-256). Files go to /dev/shm where
/// there is one (the disk is not measured), closed segments are deleted as the run goes; their
/// files, journals and directory listings are the few bytes per packet these two allocate.
/// Expected: within expected-allocations.json.
/// </summary>
public class RecordingBenchmarks
{
    private const int PacketLength = 1200;
    private const long QueueLimit = 16L * 1024 * 1024;

    private readonly byte[] _packet = new byte[PacketLength];
    private readonly byte[] _record = new byte[12 + PacketLength];
    private GatedRecorder _gated = null!;
    private StreamRecorder _recorder = null!;
    private SegmentFile? _file;
    private int _fileIndex;
    private long _timestamp;
    private int _sinceCheck;

    [GlobalSetup]
    public void Setup()
    {
        _gated = new GatedRecorder(GatedRecorder.MemoryRoot, "recording", QueueLimit, writerOpen: true);
        _recorder = _gated.Recorder;
        _packet[0] = 0x80;
        _packet[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x11110001);
        _record.AsSpan(12).Fill(0x5A);
        _timestamp = TimeProvider.System.GetTimestamp();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _file?.Dispose();
        _gated.Dispose();
    }

    [Benchmark]
    public void RecordPacketSustained()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), (ushort)_timestamp);
        _recorder.OnRtp(0, _timestamp, _packet);
        _timestamp += 100;
        if (++_sinceCheck == 1024)
        {
            _sinceCheck = 0;
            KeepUp();
        }
    }

    [Benchmark]
    public void WriteAndHashRecord()
    {
        if (_file is null || _file.Length > QueueLimit)
        {
            RollFile();
        }

        _file!.Write(_record);
        _file.CountPacket();
    }

    private void KeepUp()
    {
        SegmentWriter writer = _recorder.Writer;
        if (writer.IsStalled)
        {
            throw new InvalidOperationException("The recorder stalled during the benchmark: the figure would be the drop path's.");
        }

        while (writer.PendingBytes > QueueLimit)
        {
            Thread.Sleep(1);
        }

        ClosedSegments.DeleteAllBut(_gated.SegmentDirectory, newest: 2);
    }

    private void RollFile()
    {
        if (_file is not null)
        {
            _file.Close(0);
            File.Delete(Path.Combine(_gated.Directory, _file.FileName));
        }

        _file = SegmentFile.Create(_gated.Directory, new SegmentHeader(Guid.Empty, _fileIndex++, 0, []));
    }
}

/// <summary>
/// The packet path's share alone: a 1,200-byte packet through the tap into the pipe, with the writer
/// task held (as on a stalled disk, below the high-water mark) so it does not compete for the CPU;
/// before each iteration of 16,384 packets (20 MB) it is let go to drain. Expected: 0 B/op.
/// </summary>
public class RecordingAppendBenchmarks
{
    private const int PacketLength = 1200;

    private readonly byte[] _packet = new byte[PacketLength];
    private GatedRecorder _gated = null!;
    private StreamRecorder _recorder = null!;
    private long _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _gated = new GatedRecorder(GatedRecorder.MemoryRoot, "append", 64L * 1024 * 1024, writerOpen: true);
        _recorder = _gated.Recorder;
        _packet[0] = 0x80;
        _packet[1] = 96;
        _timestamp = TimeProvider.System.GetTimestamp();
    }

    [IterationSetup]
    public void Drain()
    {
        _gated.Gate.Set();
        while (_recorder.Writer.PendingBytes != 0)
        {
            Thread.Sleep(1);
        }

        _gated.Gate.Reset();
        Thread.Sleep(50);
        string recording = _gated.SegmentDirectory;
        foreach (string segment in Directory.GetFiles(recording, "*" + SegmentFormat.FileExtension).Order(StringComparer.Ordinal).SkipLast(1))
        {
            File.Delete(segment);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _gated.Dispose();
    }

    [Benchmark]
    [InvocationCount(16384)]
    public void AppendPacket()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), (ushort)_timestamp);
        _recorder.OnRtp(0, _timestamp, _packet);
        _timestamp += 100;
    }
}
