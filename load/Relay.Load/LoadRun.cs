using System.Diagnostics;
using System.Globalization;
using Relay.Protocols.Buffers;
using Relay.Transport.Dtls;

namespace Relay.Load;

/// <summary>
/// One load run: N publishers, each watched by M viewers, all through the relay's real UDP, ICE,
/// DTLS and SRTP path on loopback. Connects everyone, sends for the warm-up and the measured window,
/// then reports what reached the viewers and what it cost the relay.
/// </summary>
internal sealed class LoadRun(LoadOptions options, SignallingClient signalling, int? relayProcessId)
{
    private readonly List<SyntheticPublisher> _publishers = [];
    private readonly List<SyntheticViewer> _viewers = [];

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        using var certificate = DtlsCertificate.Generate("load");
        var pool = new PinnedPacketBufferPool();
        try
        {
            await ConnectAsync(certificate, pool, cancellationToken).ConfigureAwait(false);
            return await SendAndMeasureAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (SyntheticPeer peer in _viewers.Concat<SyntheticPeer>(_publishers))
            {
                if (peer.Resource is Uri resource)
                {
                    try
                    {
                        await signalling.DeleteAsync(resource, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (HttpRequestException)
                    {
                    }
                }

                await peer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ConnectAsync(DtlsCertificate certificate, PacketBufferPool pool, CancellationToken cancellationToken)
    {
        var connectTime = TimeSpan.FromSeconds(15);
        for (int p = 0; p < options.Publishers; p++)
        {
            string session = await signalling.CreateSessionAsync("LOAD-" + p.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            var publisher = new SyntheticPublisher(certificate, pool, (uint)Random.Shared.Next(1, int.MaxValue));
            _publishers.Add(publisher);
            (string answer, Uri resource) = await signalling.PublishAsync(session, OfferBuilder.Publisher(publisher.Ice, certificate.Fingerprint, publisher.Ssrc), cancellationToken).ConfigureAwait(false);
            publisher.Resource = resource;
            await publisher.ConnectAsync(RelayAnswer.Parse(answer), connectTime, cancellationToken).ConfigureAwait(false);

            for (int v = 0; v < options.ViewersPerPublisher; v++)
            {
                var viewer = new SyntheticViewer(certificate, pool);
                _viewers.Add(viewer);
                (string viewAnswer, Uri viewResource) = await signalling.ViewAsync(session, OfferBuilder.Viewer(viewer.Ice, certificate.Fingerprint), cancellationToken).ConfigureAwait(false);
                viewer.Resource = viewResource;
                await viewer.ConnectAsync(RelayAnswer.Parse(viewAnswer), connectTime, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<LoadReport> SendAndMeasureAsync(CancellationToken cancellationToken)
    {
        int frameBytes = options.BitrateKbps * 1000 / 8 / options.FramesPerSecond;
        uint timestampStep = (uint)(90000 / options.FramesPerSecond);
        var stop = new CancellationTokenSource();
        var sender = new Thread(() => SendFrames(frameBytes, timestampStep, stop.Token)) { IsBackground = true, Name = "load publishers" };
        sender.Start();

        await Task.Delay(options.WarmUp, cancellationToken).ConfigureAwait(false);
        RelaySnapshot before = await RelaySnapshot.TakeAsync(signalling, relayProcessId, cancellationToken).ConfigureAwait(false);
        long sentBefore = _publishers.Sum(p => p.PacketsSent);
        long receivedBefore = _viewers.Sum(v => v.PacketsReceived);
        foreach (SyntheticViewer viewer in _viewers)
        {
            viewer.StartMeasuring();
        }

        var window = Stopwatch.StartNew();
        await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
        foreach (SyntheticViewer viewer in _viewers)
        {
            viewer.StopMeasuring();
        }

        long receivedAfter = _viewers.Sum(v => v.PacketsReceived);
        long sentAfter = _publishers.Sum(p => p.PacketsSent);
        double seconds = window.Elapsed.TotalSeconds;
        RelaySnapshot after = await RelaySnapshot.TakeAsync(signalling, relayProcessId, cancellationToken).ConfigureAwait(false);

        await stop.CancelAsync().ConfigureAwait(false);
        sender.Join();
        await Task.Delay(500, cancellationToken).ConfigureAwait(false); // let the last packets land

        var latency = new LatencyHistogram();
        foreach (SyntheticViewer viewer in _viewers)
        {
            latency.Add(viewer.Latency);
        }

        long totalSent = _publishers.Sum(p => p.PacketsSent);
        long totalExpected = totalSent * options.ViewersPerPublisher;
        long totalReceived = _viewers.Sum(v => v.PacketsReceived);
        double forwarded = (receivedAfter - receivedBefore) / seconds;
        double relayCpu = (after.CpuTime - before.CpuTime).TotalSeconds;
        return new LoadReport(
            options,
            SentPacketsPerSecond: (sentAfter - sentBefore) / seconds,
            ForwardedPacketsPerSecond: forwarded,
            Loss: totalExpected == 0 ? 0 : Math.Max(0, 1 - ((double)totalReceived / totalExpected)),
            LatencyP50Microseconds: latency.Percentile(0.50),
            LatencyP99Microseconds: latency.Percentile(0.99),
            RelayCpuSeconds: relayCpu,
            RelayCpuMicrosecondsPerForwardedPacket: relayCpu * 1e6 / Math.Max(1, receivedAfter - receivedBefore),
            ForwardedPerCpuSecond: relayCpu > 0 ? (receivedAfter - receivedBefore) / relayCpu : double.NaN,
            RelayGen0Collections: before.Gen0Collections < 0 || after.Gen0Collections < 0 ? -1 : after.Gen0Collections - before.Gen0Collections,
            KeyframeRequests: _publishers.Sum(p => p.KeyframeRequests),
            RelayRtpInPerSecond: (after.RtpIn - before.RtpIn) / seconds,
            RelayRtpOutPerSecond: (after.RtpOut - before.RtpOut) / seconds,
            RelayDropped: after.Dropped - before.Dropped,
            MeasuredSeconds: seconds);
    }

    /// <summary>Paces every publisher's frames on one thread, staggered across the frame interval.</summary>
    private void SendFrames(int frameBytes, uint timestampStep, CancellationToken stop)
    {
        long interval = Stopwatch.Frequency / options.FramesPerSecond;
        long start = Stopwatch.GetTimestamp();
        long[] due = new long[_publishers.Count];
        for (int i = 0; i < due.Length; i++)
        {
            due[i] = start + (interval * i / due.Length);
        }

        while (!stop.IsCancellationRequested)
        {
            long now = Stopwatch.GetTimestamp();
            long next = long.MaxValue;
            for (int i = 0; i < due.Length; i++)
            {
                if (now >= due[i])
                {
                    _publishers[i].SendFrame(frameBytes, timestampStep);
                    due[i] += interval;
                }

                next = Math.Min(next, due[i]);
            }

            long wait = next - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                Thread.Sleep(1);
            }
        }
    }
}
