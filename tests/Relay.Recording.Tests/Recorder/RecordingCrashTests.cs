using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Recording.Tests.Recorder;

/// <summary>
/// A real crash: a child process (tests/Relay.Recording.CrashWriter) records until it is killed with
/// SIGKILL mid-stream; recovery then closes what it left, and everything its writer had written
/// must be there, intact, and flagged.
/// </summary>
public sealed class RecordingCrashTests
{
    private static string CrashWriterDll =>
        Path.Combine(AppContext.BaseDirectory.Replace("Relay.Recording.Tests", "Relay.Recording.CrashWriter", StringComparison.Ordinal), "Relay.Recording.CrashWriter.dll");

    [Fact]
    public async Task A_recorder_killed_with_SIGKILL_loses_nothing_it_had_written_and_its_open_segment_is_recovered_and_flagged()
    {
        using var directory = new TempDirectory();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CrashWriterDll);
        start.ArgumentList.Add(directory.Path);
        using Process child = Process.Start(start)!;
        long written = 0;
        try
        {
            // Wait until two segments have closed and the third holds packets, then let the writer
            // task hand what it wrote to the OS (it does every 5 ms) and kill the process mid-stream.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail("The crash writer exited: " + await child.StandardError.ReadToEndAsync(timeout.Token));
                }

                string[] parts = line.Split(' ');
                written = long.Parse(parts[1], CultureInfo.InvariantCulture);
                if (long.Parse(parts[2], CultureInfo.InvariantCulture) >= 2 && written > 0)
                {
                    break;
                }
            }

            await Task.Delay(100);
            child.Kill();
            await child.WaitForExitAsync();
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(137, child.ExitCode);
        string recordings = Path.Combine(directory.Path, "recordings");
        string recordingDirectory = Assert.Single(Directory.GetDirectories(recordings));
        Assert.False(File.Exists(Path.Combine(recordingDirectory, ManifestFiles.Signed)));
        Assert.True(File.Exists(Path.Combine(recordingDirectory, ManifestFiles.Open)));

        using EvidenceSigningKey key = EvidenceSigningKey.LoadOrCreate(Path.Combine(directory.Path, "evidence.pem"));
        var logger = new ListLogger();
        RecordingManifest manifest = Assert.Single(RecordingRecovery.RecoverAll(recordings, key, new RecordingCounters(), logger));

        Assert.True(manifest.Recovered);
        Assert.Equal("crash-session", manifest.SessionId);
        Assert.True(manifest.Segments.Count >= 3);
        Assert.All(manifest.Segments.SkipLast(1), static s => Assert.False(s.Recovered));
        Assert.True(manifest.Segments[^1].Recovered);
        ManifestVerification verification = ManifestVerifier.Verify(recordingDirectory, key.PublicKey);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));

        // Every packet is there in order, byte for byte, at least as many as the writer had written.
        long count = 0;
        byte[] expected = new byte[1012];
        foreach (ManifestSegment segment in manifest.Segments)
        {
            foreach (RecordedPacket packet in SegmentReader.Open(Path.Combine(recordingDirectory, segment.FileName)).ReadPackets())
            {
                Relay.Recording.CrashWriter.Program.Fill(expected, (ushort)count);
                Assert.True(packet.Data.Span.SequenceEqual(expected), $"packet {count}");
                Assert.Equal((ushort)count, BinaryPrimitives.ReadUInt16BigEndian(packet.Data.Span.Slice(2)));
                count++;
            }
        }

        Assert.True(count >= written, $"{count} packets recovered, the writer had written {written}");
        Assert.Equal(count, manifest.Segments.Sum(static s => s.PacketCount));
    }
}
