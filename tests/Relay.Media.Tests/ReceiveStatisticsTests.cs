using Relay.Protocols.Rtcp;
namespace Relay.Media.Tests;

public class ReceiveStatisticsTests
{
    private const int ClockRate = 90000;
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void NoPacketsYet_NoReport()
    {
        var statistics = new ReceiveStatistics(_time, 0xABCD, ClockRate);
        Assert.False(statistics.CreateReport(_time.Now, out _));
    }

    [Fact]
    public void LosslessStream_ReportsNoLossAndTheExtendedHighestAcrossWraps()
    {
        var statistics = new ReceiveStatistics(_time, 0xABCD, ClockRate);
        for (int i = 0; i < 70_000; i++)
        {
            Assert.True(statistics.OnPacketReceived((ushort)(65000 + i), (uint)i * 3000, _time.Now + (i * ManualTimeProvider.Milliseconds(1000.0 / 30))));
        }

        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock report));
        Assert.Equal(0xABCDu, report.Ssrc);
        Assert.Equal(0, report.FractionLost);
        Assert.Equal(0, report.CumulativeLost);
        Assert.Equal((uint)(65000 + 69_999), report.ExtendedHighestSequenceNumber);
        Assert.Equal(2u, report.ExtendedHighestSequenceNumber >> 16);
        Assert.Equal(70_000, statistics.PacketsExpected);
        Assert.Equal(70_000, statistics.PacketsReceived);
    }

    [Fact]
    public void FractionLost_CoversOnlyTheIntervalSinceTheLastReport()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        // Interval 1: 100 expected, 10 lost -> 25/256. Interval 2: 100 expected, none lost.
        for (int i = 0; i < 100; i++)
        {
            if (i % 10 != 5)
            {
                statistics.OnPacketReceived((ushort)i, 0, _time.Now);
            }
        }

        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock first));
        Assert.Equal((10 << 8) / 100, first.FractionLost);
        Assert.Equal(10, first.CumulativeLost);

        for (int i = 100; i < 200; i++)
        {
            statistics.OnPacketReceived((ushort)i, 0, _time.Now);
        }

        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock second));
        Assert.Equal(0, second.FractionLost);
        Assert.Equal(10, second.CumulativeLost);
        Assert.Equal(199u, second.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void Duplicates_MakeTheLossNegativeAndTheFractionZero()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        for (int i = 0; i < 10; i++)
        {
            statistics.OnPacketReceived((ushort)i, 0, _time.Now);
            statistics.OnPacketReceived((ushort)i, 0, _time.Now);
        }

        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock report));
        Assert.Equal(-10, report.CumulativeLost);
        Assert.Equal(0, report.FractionLost);
    }

    [Fact]
    public void ReorderedPackets_CountButDoNotMoveTheHighest()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        statistics.OnPacketReceived(65535, 0, _time.Now);
        statistics.OnPacketReceived(1, 0, _time.Now);
        statistics.OnPacketReceived(0, 0, _time.Now);
        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock report));
        Assert.Equal(0x1_0001u, report.ExtendedHighestSequenceNumber);
        Assert.Equal(0, report.CumulativeLost);
    }

    [Fact]
    public void LargeJump_IsIgnoredUnlessTheNextPacketConfirmsIt()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        for (int i = 0; i < 10; i++)
        {
            statistics.OnPacketReceived((ushort)(1000 + i), 0, _time.Now);
        }

        Assert.False(statistics.OnPacketReceived(30000, 0, _time.Now));
        Assert.True(statistics.OnPacketReceived(1010, 0, _time.Now));
        Assert.Equal(11, statistics.PacketsReceived);

        // The source restarted: two packets in sequence after the jump start the statistics again.
        Assert.False(statistics.OnPacketReceived(50000, 0, _time.Now));
        Assert.True(statistics.OnPacketReceived(50001, 0, _time.Now));
        Assert.True(statistics.OnPacketReceived(50002, 0, _time.Now));
        Assert.Equal(2, statistics.PacketsReceived);
        Assert.Equal(2, statistics.PacketsExpected);
        Assert.Equal(50002u, statistics.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void CumulativeLost_IsClampedTo24BitsSigned()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        ushort sequence = 0;
        statistics.OnPacketReceived(sequence, 0, _time.Now);
        // Lose 2999 of every 3000 until the count passes 2^23.
        for (int i = 0; i < 3000; i++)
        {
            sequence += 2999;
            statistics.OnPacketReceived(sequence, 0, _time.Now);
        }

        Assert.True(statistics.PacketsLost > 0x7F_FFFF);
        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock report));
        Assert.Equal(0x7F_FFFF, report.CumulativeLost);
        Assert.Equal(255, report.FractionLost);
    }

    [Fact]
    public void ConstantTransit_GivesZeroJitter()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        for (int i = 0; i < 300; i++)
        {
            statistics.OnPacketReceived((ushort)i, 1_000_000 + ((uint)i * 3000), _time.Now + ManualTimeProvider.Milliseconds(i * 100.0 / 3));
        }

        Assert.Equal(0u, statistics.Jitter);
    }

    [Fact]
    public void Jitter_MatchesTheRfc3550FormulaOnASeededStream()
    {
        // The reference is A.8's floating-point form J += (|D| - J) / 16; the integer form tracks it.
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        var random = new Random(7);
        double reference = 0;
        long previousTransit = 0;
        uint timestamp = uint.MaxValue - 30_000;
        for (int i = 0; i < 2000; i++)
        {
            long arrivalMicroseconds = (i * 33_333L) + random.Next(0, 20_000);
            long arrival = _time.Now + (arrivalMicroseconds * 1000);
            statistics.OnPacketReceived((ushort)i, timestamp, arrival);

            long arrivalUnits = arrivalMicroseconds * ClockRate / 1_000_000;
            long transit = arrivalUnits - (i * 3000L);
            if (i > 0)
            {
                reference += (Math.Abs(transit - previousTransit) - reference) / 16;
            }

            previousTransit = transit;
            timestamp += 3000;
        }

        Assert.InRange(statistics.Jitter, reference - 2, reference + 2);
        Assert.InRange(statistics.Jitter, 400u, 900u);
    }

    [Fact]
    public void Jitter_IgnoresReorderedPackets()
    {
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        for (int i = 0; i < 50; i++)
        {
            statistics.OnPacketReceived((ushort)(i * 2), (uint)(i * 6000), _time.Now + ManualTimeProvider.Milliseconds(i * 200.0 / 3));
        }

        // A packet from far back arriving now would otherwise add a huge transit difference.
        statistics.OnPacketReceived(1, 3000, _time.Now + ManualTimeProvider.Milliseconds(5000));
        Assert.Equal(0u, statistics.Jitter);
    }

    [Fact]
    public void SenderReport_GivesLsrAndDlsrAsInRfc3550Figure2()
    {
        // RFC 3550 section 6.4.1, figure 2: an SR whose NTP time has middle bits 0xb705:2000 (46853.125 s),
        // and a report sent 5.250 s after it arrived carries DLSR 0x0005:4000.
        var statistics = new ReceiveStatistics(_time, 1, ClockRate);
        statistics.OnPacketReceived(1, 0, _time.Now);
        Assert.True(statistics.CreateReport(_time.Now, out ReportBlock before));
        Assert.Equal(0u, before.LastSenderReport);
        Assert.Equal(0u, before.DelaySinceLastSenderReport);

        const ulong ntp = 0x0000_B705_2000_0000UL | 0x1234;
        statistics.OnSenderReport(ntp, _time.Now);
        Assert.True(statistics.CreateReport(_time.Now + ManualTimeProvider.Milliseconds(5250), out ReportBlock report));
        Assert.Equal(0xB705_2000u, report.LastSenderReport);
        Assert.Equal(0x0005_4000u, report.DelaySinceLastSenderReport);
    }

    [Fact]
    public void BadConfiguration_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReceiveStatistics(_time, 1, 0));
        Assert.Throws<ArgumentNullException>(() => new ReceiveStatistics(null!, 1, ClockRate));
    }
}
