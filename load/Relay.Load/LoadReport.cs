using System.Globalization;

namespace Relay.Load;

/// <summary>What one run reached, and the Markdown line bench/RESULTS.md keeps of it.</summary>
internal sealed record LoadReport(
    LoadOptions Options,
    double SentPacketsPerSecond,
    double ForwardedPacketsPerSecond,
    double Loss,
    double LatencyP50Microseconds,
    double LatencyP99Microseconds,
    double RelayCpuSeconds,
    double RelayCpuMicrosecondsPerForwardedPacket,
    double ForwardedPerCpuSecond,
    long RelayGen0Collections,
    long KeyframeRequests,
    double RelayRtpInPerSecond,
    double RelayRtpOutPerSecond,
    long RelayDropped,
    double MeasuredSeconds)
{
    public const string MarkdownHeader =
        "| publishers x viewers | bitrate | sent pps | forwarded pps | loss | p50 / p99 latency | relay CPU s | relay CPU µs / fwd pkt | fwd pkts per relay CPU s | relay gen-0 GCs |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public string ToMarkdownRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Options.Publishers} x {Options.ViewersPerPublisher} | {Options.BitrateKbps} kbps @ {Options.FramesPerSecond} fps | {SentPacketsPerSecond:F0} | {ForwardedPacketsPerSecond:F0} | {Loss:P3} | {LatencyP50Microseconds / 1000:F2} / {LatencyP99Microseconds / 1000:F2} ms | {RelayCpuSeconds:F2} in {MeasuredSeconds:F0} s | {RelayCpuMicrosecondsPerForwardedPacket:F2} | {ForwardedPerCpuSecond:F0} | {(RelayGen0Collections < 0 ? "n/a" : RelayGen0Collections.ToString(CultureInfo.InvariantCulture))} |");

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        publishers x viewers     {Options.Publishers} x {Options.ViewersPerPublisher} at {Options.BitrateKbps} kbps, {Options.FramesPerSecond} fps
        measured                 {MeasuredSeconds:F1} s after {Options.WarmUp.TotalSeconds:F0} s warm-up
        sent                     {SentPacketsPerSecond:F0} packets/s
        forwarded                {ForwardedPacketsPerSecond:F0} packets/s
        loss                     {Loss:P3}
        added latency p50 / p99  {LatencyP50Microseconds / 1000:F2} / {LatencyP99Microseconds / 1000:F2} ms
        relay CPU                {RelayCpuSeconds:F2} s ({RelayCpuMicrosecondsPerForwardedPacket:F2} µs per forwarded packet, {ForwardedPerCpuSecond:F0} forwarded packets per CPU second)
        relay gen-0 collections  {(RelayGen0Collections < 0 ? "not exported" : RelayGen0Collections.ToString(CultureInfo.InvariantCulture))}
        keyframe requests        {KeyframeRequests}
        relay RTP in / out       {RelayRtpInPerSecond:F0} / {RelayRtpOutPerSecond:F0} packets/s, {RelayDropped} packets dropped (all reasons) in the window
        """);
}
