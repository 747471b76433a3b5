using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>One video codec's clip, how it is packetized, and the container it exports to.</summary>
/// <param name="Seed">The first seed of this codec's send plans (each test offsets it, so runs stay reproducible).</param>
internal sealed record VideoCase(
    string Codec,
    IReadOnlyList<EncodedFrame> Frames,
    Func<IReadOnlyList<EncodedFrame>, SendPlan, RecordedStream> Packetize,
    ExportContainer Container,
    string FormatName,
    int Seed,
    double LossRate)
{
    public static VideoCase For(string codec, EncodedClips clips) => codec switch
    {
        "vp8" => new(codec, clips.Vp8, static (f, p) => RecordedStream.Vp8(0, f, p), ExportContainer.WebM, "webm", 2, 0.04),
        "h264" => new(codec, clips.H264, static (f, p) => RecordedStream.H264(0, f, p), ExportContainer.Mp4, "mp4", 11, 0.05),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "no such test clip"),
    };

    public RecordedStream Record(SendPlan plan) => Packetize(Frames, plan);

    public string File(string name) => Codec + "-" + name + (Container == ExportContainer.WebM ? ".webm" : ".mp4");
}
