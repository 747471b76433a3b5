namespace Relay.Media.Tests;

public class KeyframeRequestCoalescerTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void FirstRequest_IsSentAtOnce()
    {
        var coalescer = new KeyframeRequestCoalescer(_time);
        KeyframeRequest request = coalescer.OnRequest(KeyframeRequestKind.Pli, _time.Now);
        Assert.True(request.ShouldSend);
        Assert.Equal(KeyframeRequestKind.Pli, request.Kind);
        Assert.False(coalescer.HasPending);
    }

    [Fact]
    public void ManyViewers_CostOneRequestPerInterval()
    {
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(500));
        int sent = 0;
        // Ten viewers each send a PLI every 10 ms for 2 s; the worker polls every 10 ms.
        for (int ms = 0; ms < 2000; ms += 10)
        {
            long now = _time.Now + ManualTimeProvider.Milliseconds(ms);
            for (int viewer = 0; viewer < 10; viewer++)
            {
                sent += coalescer.OnRequest(KeyframeRequestKind.Pli, now).ShouldSend ? 1 : 0;
            }

            sent += coalescer.Poll(now).ShouldSend ? 1 : 0;
        }

        Assert.Equal(4, sent);
        Assert.Equal(4, coalescer.Sent);
        // Every request is sent, merged into another, or (the last) still held.
        Assert.True(coalescer.HasPending);
        Assert.Equal(2000 - 4 - 1, coalescer.Coalesced);
    }

    [Fact]
    public void RequestHeldDuringTheInterval_IsSentWhenItEnds()
    {
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(500));
        long start = _time.Now;
        Assert.True(coalescer.OnRequest(KeyframeRequestKind.Pli, start).ShouldSend);
        Assert.False(coalescer.OnRequest(KeyframeRequestKind.Pli, start + ManualTimeProvider.Milliseconds(100)).ShouldSend);
        Assert.True(coalescer.HasPending);
        Assert.Equal(start + ManualTimeProvider.Milliseconds(500), coalescer.PendingDueAt);

        Assert.False(coalescer.Poll(start + ManualTimeProvider.Milliseconds(499)).ShouldSend);
        Assert.True(coalescer.Poll(start + ManualTimeProvider.Milliseconds(500)).ShouldSend);
        Assert.False(coalescer.HasPending);
        Assert.False(coalescer.Poll(start + ManualTimeProvider.Milliseconds(2000)).ShouldSend);
    }

    [Fact]
    public void KeyframeArrivingFirst_AnswersTheHeldRequest()
    {
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(500));
        long start = _time.Now;
        coalescer.OnRequest(KeyframeRequestKind.Pli, start);
        coalescer.OnRequest(KeyframeRequestKind.Pli, start + ManualTimeProvider.Milliseconds(50));

        coalescer.OnKeyframeReceived();
        Assert.False(coalescer.HasPending);
        Assert.False(coalescer.Poll(start + ManualTimeProvider.Milliseconds(600)).ShouldSend);
        Assert.Equal(1, coalescer.Sent);
    }

    [Fact]
    public void HeldRequests_MergeIntoAFirIfAnyWasAFir()
    {
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(500));
        long start = _time.Now;
        coalescer.OnRequest(KeyframeRequestKind.Pli, start);
        coalescer.OnRequest(KeyframeRequestKind.Pli, start + 1);
        coalescer.OnRequest(KeyframeRequestKind.Fir, start + 2);
        coalescer.OnRequest(KeyframeRequestKind.Pli, start + 3);

        KeyframeRequest merged = coalescer.Poll(start + ManualTimeProvider.Milliseconds(500));
        Assert.True(merged.ShouldSend);
        Assert.Equal(KeyframeRequestKind.Fir, merged.Kind);
    }

    [Fact]
    public void FirSequenceNumber_IncrementsPerSentFirAndWraps()
    {
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(500), firstFirSequenceNumber: 254);
        long now = _time.Now;
        var numbers = new List<byte>();
        for (int i = 0; i < 4; i++)
        {
            // A suppressed FIR and a PLI in between consume no numbers.
            KeyframeRequest fir = coalescer.OnRequest(KeyframeRequestKind.Fir, now);
            Assert.True(fir.ShouldSend);
            Assert.Equal(KeyframeRequestKind.Fir, fir.Kind);
            numbers.Add(fir.FirSequenceNumber);
            Assert.False(coalescer.OnRequest(KeyframeRequestKind.Fir, now + 1).ShouldSend);
            coalescer.OnKeyframeReceived();
            now += ManualTimeProvider.Milliseconds(500);
            Assert.Equal(KeyframeRequestKind.Pli, coalescer.OnRequest(KeyframeRequestKind.Pli, now).Kind);
            now += ManualTimeProvider.Milliseconds(500);
        }

        Assert.Equal([254, 255, 0, 1], numbers);
    }

    [Fact]
    public void RequestAfterTheIntervalEnded_IsSentAtOnceEvenIfOneWasHeld()
    {
        var coalescer = new KeyframeRequestCoalescer(_time, TimeSpan.FromMilliseconds(500));
        long start = _time.Now;
        coalescer.OnRequest(KeyframeRequestKind.Pli, start);
        coalescer.OnRequest(KeyframeRequestKind.Pli, start + 1);

        KeyframeRequest late = coalescer.OnRequest(KeyframeRequestKind.Pli, start + ManualTimeProvider.Milliseconds(700));
        Assert.True(late.ShouldSend);
        Assert.False(coalescer.HasPending);
        Assert.Equal(2, coalescer.Sent);
    }
}
