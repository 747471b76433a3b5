using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Bench.Recording;

/// <summary>
/// The whole recording path for 1,200-byte RTP packets on one thread, against the least any recorder
/// must do, in the same run. <see cref="FileStreamAppendAndHash"/> (the baseline): each 1,212-byte
/// record written to a <see cref="FileStream"/> with a 64 KiB buffer and appended to an
/// <see cref="IncrementalHash"/> (SHA-256), the file fsynced and replaced every 16 MiB.
/// <see cref="TapToSegmentFile"/>: the same packets through the recording tap
/// (<see cref="StreamRecorder.OnRtp"/>: map the track, convert the arrival time, append to the pipe),
/// then the writer thread's drain run here on the benchmark thread (take from the pipe, write, hash,
/// hand to the OS when due, roll and fsync the 16 MiB segments, write the manifest journal), with the
/// node's writer thread held off. So both figures are CPU on one thread and their ratio is what our
/// machinery adds per packet; what the writer thread's own wake-ups cost is per second, not per packet,
/// and is measured by <see cref="RecordingCpuCost"/>. Files go to /dev/shm (no disk) and to
/// the temporary directory's file system (the disk); closed files are deleted as the run goes.
/// Expected: a few bytes per packet (directory listings and the journal every 16 MiB).
/// </summary>
public class RecordingPathBenchmarks
{
    private const int PacketLength = 1200;
    private const int Batch = 1024;
    private const long FileBytes = 16L * 1024 * 1024;

    private readonly byte[] _packet = new byte[PacketLength];
    private readonly byte[] _record = new byte[SegmentFormat.RecordHeaderLength + PacketLength];
    private GatedRecorder _gated = null!;
    private StreamRecorder _recorder = null!;
    private FileStream? _baselineFile;
    private IncrementalHash? _baselineHash;
    private long _baselineLength;
    private int _baselineIndex;
    private long _timestamp;
    private int _batches;

    /// <summary>Where the files go: "shm" (/dev/shm, memory) or "disk" (the temporary directory).</summary>
    [Params("shm", "disk")]
    public string Storage { get; set; } = "shm";

    [GlobalSetup]
    public void Setup()
    {
        _gated = new GatedRecorder(Storage == "shm" ? GatedRecorder.MemoryRoot : Path.GetTempPath(), "path", FileBytes, writerOpen: false);
        _recorder = _gated.Recorder;
        _packet[0] = 0x80;
        _packet[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x11110001);
        _packet.AsSpan(12).Fill(0x5A);
        _record.AsSpan(SegmentFormat.RecordHeaderLength).Fill(0x5A);
        _timestamp = TimeProvider.System.GetTimestamp();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _baselineFile?.Dispose();
        _baselineHash?.Dispose();
        _gated.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void FileStreamAppendAndHash()
    {
        for (int i = 0; i < Batch; i++)
        {
            if (_baselineFile is null || _baselineLength > FileBytes)
            {
                RollBaseline();
            }

            BinaryPrimitives.WriteInt64LittleEndian(_record, _timestamp++);
            _baselineFile!.Write(_record);
            _baselineHash!.AppendData(_record);
            _baselineLength += _record.Length;
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void TapToSegmentFile()
    {
        for (int i = 0; i < Batch; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), (ushort)_timestamp);
            _recorder.OnRtp(0, _timestamp, _packet);
            _timestamp += 100;
        }

        _recorder.Writer.DrainNowForBenchmark(Environment.TickCount64);
        if (++_batches % 16 == 0)
        {
            ClosedSegments.DeleteAllBut(_gated.SegmentDirectory, newest: 1);
        }
    }

    private void RollBaseline()
    {
        if (_baselineFile is not null)
        {
            _baselineFile.Flush(flushToDisk: true);
            _baselineFile.Dispose();
            _baselineHash!.GetHashAndReset();
            File.Delete(Path.Combine(_gated.Directory, "baseline-" + (_baselineIndex - 1)));
        }

        _baselineHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _baselineFile = new FileStream(Path.Combine(_gated.Directory, "baseline-" + _baselineIndex++), FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        _baselineLength = 0;
    }
}
