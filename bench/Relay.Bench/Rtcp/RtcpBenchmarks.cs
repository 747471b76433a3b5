using System.Text;
using BenchmarkDotNet.Attributes;
using Relay.Protocols.Rtcp;

namespace Relay.Bench.Rtcp;

/// <summary>
/// One RTCP operation per benchmark on packets shaped like what browsers send a relay: a receiver's
/// compound with two report blocks (audio and video), CNAME and REMB; a sender's SR + CNAME; a NACK for
/// a burst of loss; transport-wide CC feedback for 100 packets (about 100 ms of video).
/// </summary>
public class RtcpBenchmarks
{
    private readonly byte[] _output = new byte[1500];
    private byte[] _receiverCompound = [];
    private byte[] _senderCompound = [];
    private byte[] _transportCc = [];
    private ushort[] _lost = [];
    private TransportCcArrival[] _arrivals = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] cname = Encoding.ASCII.GetBytes("t7mkYnCm46OcINy/");
        ReportBlock[] blocks =
        [
            new ReportBlock(0x02d03702, 3, 41, 0x0001_4e20, 220, 0xc1b47654, 0x0000_8000),
            new ReportBlock(0x04a76747, 0, 2, 0x0000_9c40, 35, 0xc1b47612, 0x0001_2000),
        ];

        var compound = new RtcpCompoundWriter(_output);
        compound.TryAdd(new ReceiverReportWriter(0xfa17fa17, blocks));
        compound.TryAdd(new SourceDescriptionWriter(0xfa17fa17, cname));
        compound.TryAdd(new RembWriter(0xfa17fa17, 2_500_000, [0x02d03702, 0x04a76747]));
        _receiverCompound = compound.WrittenSpan.ToArray();

        compound = new RtcpCompoundWriter(_output);
        compound.TryAdd(new SenderReportWriter(0x02d03702, new SenderInfo(0xE9C0FFEE_80000000, 1_234_567, 20_000, 18_000_000), blocks.AsSpan(0, 1)));
        compound.TryAdd(new SourceDescriptionWriter(0x02d03702, cname));
        _senderCompound = compound.WrittenSpan.ToArray();

        // A burst of 9 lost, then scattered single losses, across the 65535 wrap.
        _lost = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 40, 77, 78, 130];

        // Packets about 1 ms apart with jitter, one in 12 lost, one long gap.
        var random = new Random(42);
        _arrivals = new TransportCcArrival[100];
        long time = 7_000_000_000;
        for (int i = 0; i < _arrivals.Length; i++)
        {
            time += i == 60 ? 80_000 : random.Next(200, 2_000);
            _arrivals[i] = new TransportCcArrival((ushort)(31_000 + i), i % 12 != 5, time);
        }

        new TransportCcFeedbackWriter(0xfa17fa17, 0x02d03702, 17, _arrivals).TryWrite(_output, out int written);
        _transportCc = _output.AsSpan(0, written).ToArray();
    }

    [Benchmark]
    public long ParseReceiverCompound()
    {
        long sum = 0;
        var packets = new RtcpCompoundEnumerator(_receiverCompound);
        while (packets.MoveNext())
        {
            RtcpPacket packet = packets.Current;
            if (ReceiverReport.TryRead(packet, out ReceiverReport rr))
            {
                foreach (ReportBlock block in rr.ReportBlocks)
                {
                    sum += block.CumulativeLost + block.Jitter + block.DelaySinceLastSenderReport;
                }
            }
            else if (SourceDescription.TryRead(packet, out SourceDescription sdes))
            {
                foreach (SourceDescriptionChunk chunk in sdes.Chunks)
                {
                    sum += chunk.TryGetItem(SdesItemType.Cname, out ReadOnlySpan<byte> value) ? value.Length : 0;
                }
            }
            else if (Remb.TryRead(packet, out Remb remb))
            {
                sum += (long)remb.Bitrate;
            }
        }

        return packets.IsMalformed ? -1 : sum;
    }

    [Benchmark]
    public long ParseSenderCompound()
    {
        long sum = 0;
        var packets = new RtcpCompoundEnumerator(_senderCompound, requireReport: true);
        while (packets.MoveNext())
        {
            if (SenderReport.TryRead(packets.Current, out SenderReport sr))
            {
                sum += sr.SenderInfo.CompactNtpTimestamp + sr.SenderInfo.RtpTimestamp;
                foreach (ReportBlock block in sr.ReportBlocks)
                {
                    sum += block.CumulativeLost;
                }
            }
            else if (SourceDescription.TryRead(packets.Current, out SourceDescription sdes))
            {
                sum += sdes.ChunkCount;
            }
        }

        return packets.IsMalformed ? -1 : sum;
    }

    [Benchmark]
    public int WriteNack()
    {
        new GenericNackWriter(0xfa17fa17, 0x02d03702, _lost).TryWrite(_output, out int written);
        return written;
    }

    [Benchmark]
    public long ParseTransportCc()
    {
        long sum = 0;
        if (RtcpPacket.TryRead(_transportCc, out RtcpPacket packet) && TransportCcFeedback.TryRead(packet, out TransportCcFeedback feedback))
        {
            foreach (TransportCcPacket status in feedback.Packets)
            {
                sum += status.IsReceived ? status.ArrivalTimeMicroseconds : status.SequenceNumber;
            }
        }

        return sum;
    }

    [Benchmark]
    public int WriteTransportCc()
    {
        new TransportCcFeedbackWriter(0xfa17fa17, 0x02d03702, 17, _arrivals).TryWrite(_output, out int written);
        return written;
    }
}
