namespace Relay.Media.Tests;

public class KeyframeGateTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void NewGate_DropsUntilAKeyframeStartsThenForwardsEverything()
    {
        var gate = new KeyframeGate(_time);
        Assert.False(gate.IsOpen);
        Assert.Equal(KeyframeGateResult.DropAndRequestKeyframe, gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now));
        Assert.Equal(KeyframeGateResult.Drop, gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now));

        Assert.Equal(KeyframeGateResult.Forward, gate.Process(KeyframeStatus.KeyframeStart, _time.Now));
        Assert.True(gate.IsOpen);
        Assert.Equal(KeyframeGateResult.Forward, gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now));
        Assert.Equal(2, gate.DroppedPackets);
    }

    [Fact]
    public void WhileWaiting_AsksAgainAtMostOncePerInterval()
    {
        var gate = new KeyframeGate(_time, TimeSpan.FromMilliseconds(500));
        int requests = 0;
        // Two seconds of 30 packets per second with no keyframe: a request at 0, 500, 1000, 1500 ms.
        for (int i = 0; i < 60; i++)
        {
            if (gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now) == KeyframeGateResult.DropAndRequestKeyframe)
            {
                requests++;
            }

            _time.Advance(TimeSpan.FromMilliseconds(1000.0 / 30));
        }

        Assert.Equal(4, requests);
        Assert.Equal(60, gate.DroppedPackets);
    }

    [Fact]
    public void UnknownCodec_PassesStraightThrough()
    {
        var gate = new KeyframeGate(_time);
        Assert.Equal(KeyframeGateResult.Forward, gate.Process(KeyframeStatus.Unknown, _time.Now));
        Assert.True(gate.IsOpen);
    }

    [Fact]
    public void Close_WaitsForTheNextKeyframeAndAsksAtOnce()
    {
        var gate = new KeyframeGate(_time, TimeSpan.FromSeconds(10));
        Assert.Equal(KeyframeGateResult.DropAndRequestKeyframe, gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now));
        Assert.Equal(KeyframeGateResult.Forward, gate.Process(KeyframeStatus.KeyframeStart, _time.Now));

        gate.Close();
        Assert.False(gate.IsOpen);
        Assert.Equal(KeyframeGateResult.DropAndRequestKeyframe, gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now));
        Assert.Equal(KeyframeGateResult.Drop, gate.Process(KeyframeStatus.NotKeyframeStart, _time.Now));
        Assert.Equal(KeyframeGateResult.Forward, gate.Process(KeyframeStatus.KeyframeStart, _time.Now));
    }

    [Fact]
    public void FfmpegH264Capture_OpensAtTheParameterSets()
    {
        var gate = new KeyframeGate(_time);
        byte[][] packets = TestRtp.LoadCapture("ffmpeg-h264.hex");
        Assert.Equal(KeyframeGateResult.DropAndRequestKeyframe, gate.Process(
            VideoPayload.GetKeyframeStatus(VideoCodec.H264, TestRtp.PayloadOf(packets[13])), _time.Now));
        foreach (byte[] packet in packets)
        {
            KeyframeStatus status = VideoPayload.GetKeyframeStatus(VideoCodec.H264, TestRtp.PayloadOf(packet));
            Assert.Equal(KeyframeGateResult.Forward, gate.Process(status, _time.Now));
        }
    }

    [Fact]
    public void JoiningMidStream_ForwardsFromTheKeyframeOn()
    {
        byte[][] packets = TestRtp.LoadCapture("ffmpeg-vp8.hex");
        var gate = new KeyframeGate(_time);
        var forwarded = new List<int>();
        // The subscriber joins during frame 2; the stream then repeats (the next keyframe).
        int[] order = [14, 15, 16, 17, 18, 0, 1, 2];
        foreach (int index in order)
        {
            KeyframeStatus status = VideoPayload.GetKeyframeStatus(VideoCodec.Vp8, TestRtp.PayloadOf(packets[index]));
            if (gate.Process(status, _time.Now) == KeyframeGateResult.Forward)
            {
                forwarded.Add(index);
            }
        }

        Assert.Equal([0, 1, 2], forwarded);
    }
}
