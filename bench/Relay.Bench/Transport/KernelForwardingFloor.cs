using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Relay.Transport.Udp;

namespace Relay.Bench.Transport;

/// <summary>
/// The kernel's part of forwarding over loopback and nothing else, to say how far the relay's CPU per
/// forwarded packet is from what this machine allows:
/// <c>Relay.Bench kernel-floor --mode sendto|sendmmsg [--viewers 10] [--pps 1200] [--size 1200]
/// [--seconds 20] [--warmup 3] [--forwarder-cpu N] [--others-cpu N]</c>.
/// </summary>
/// <remarks>
/// <para>
/// A source thread sends <c>--pps</c> datagrams a second (every millisecond its share, as the load
/// suite's publishers send a frame's packets together) to the forwarder's socket. The forwarder thread
/// receives each and sends it unchanged to <c>--viewers</c> loopback sockets, each read by its own
/// thread as the load suite's viewers are: <c>sendto</c> is one recvfrom and one sendto per viewer
/// (the relay with <c>Relay:Media:BatchedIo=false</c>), <c>sendmmsg</c> is recvmmsg (up to 32) and one
/// sendmmsg to all viewers per datagram (the relay's batched path), with every iovec pointing at the
/// one received buffer: no crypto, no copy, no managed socket layer.
/// </para>
/// <para>
/// The figure is the forwarder thread's own CPU time (getrusage RUSAGE_THREAD, user and system)
/// divided by the datagrams the viewers received in the window: the relay's "CPU µs per forwarded
/// packet" with only the kernel's work and the loop around it left. The sender of a loopback datagram
/// pays for delivering it into the receiving socket and waking its reader, as the relay does.
/// </para>
/// </remarks>
internal static unsafe partial class KernelForwardingFloor
{
    private const int RusageThread = 1;
    private const int ReceiveBatch = 32;

    private static volatile int s_phase;

    public static int Run(string[] args)
    {
        string mode = Option(args, "--mode", "sendmmsg");
        int viewers = int.Parse(Option(args, "--viewers", "10"), CultureInfo.InvariantCulture);
        int pps = int.Parse(Option(args, "--pps", "1200"), CultureInfo.InvariantCulture);
        int size = int.Parse(Option(args, "--size", "1200"), CultureInfo.InvariantCulture);
        double seconds = double.Parse(Option(args, "--seconds", "20"), CultureInfo.InvariantCulture);
        double warmUp = double.Parse(Option(args, "--warmup", "3"), CultureInfo.InvariantCulture);
        int forwarderCpu = int.Parse(Option(args, "--forwarder-cpu", "-1"), CultureInfo.InvariantCulture);
        int othersCpu = int.Parse(Option(args, "--others-cpu", "-1"), CultureInfo.InvariantCulture);
        if (mode is not ("sendto" or "sendmmsg") || viewers < 1 || viewers > 64 || size is < 1 or > 1500)
        {
            Console.Error.WriteLine("--mode sendto|sendmmsg, --viewers 1-64, --size 1-1500");
            return 2;
        }

        using var forwarder = Bound();
        var sinks = new Socket[viewers];
        long[] received = new long[viewers];
        for (int i = 0; i < viewers; i++)
        {
            sinks[i] = Bound();
            sinks[i].ReceiveBufferSize = 1 << 20;
        }

        forwarder.ReceiveBufferSize = 4 << 20;
        forwarder.SendBufferSize = 4 << 20;
        var readers = new Thread[viewers];
        for (int i = 0; i < viewers; i++)
        {
            int index = i;
            readers[i] = new Thread(() => Read(sinks[index], ref received[index], othersCpu)) { IsBackground = true, Name = "viewer " + i };
            readers[i].Start();
        }

        var result = new Window();
        var forwarding = new Thread(() => Forward(forwarder, sinks, mode == "sendmmsg", forwarderCpu, received, result)) { IsBackground = true, Name = "forwarder" };
        forwarding.Start();
        using var source = Bound();
        var sending = new Thread(() => Send(source, (IPEndPoint)forwarder.LocalEndPoint!, pps, size, othersCpu)) { IsBackground = true, Name = "source" };
        sending.Start();

        Thread.Sleep(TimeSpan.FromSeconds(warmUp));
        s_phase = 1;
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        s_phase = 2;
        source.SendTo([0], forwarder.LocalEndPoint!);
        forwarding.Join();
        s_phase = 3;
        sending.Join();

        long forwarded = result.ReceivedAtEnd - result.ReceivedAtStart;
        double userUs = (result.End.UserMicroseconds - result.Start.UserMicroseconds);
        double systemUs = (result.End.SystemMicroseconds - result.Start.SystemMicroseconds);
        double windowSeconds = result.Elapsed.TotalSeconds;
        double cpuUs = userUs + systemUs;
        long datagramsIn = result.InAtEnd - result.InAtStart;
        double loss = datagramsIn == 0 ? 0 : 1.0 - (forwarded / (double)(datagramsIn * viewers));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {mode} | {viewers} | {datagramsIn / windowSeconds:F0} | {forwarded / windowSeconds:F0} | {Math.Max(0, loss):P2} | {cpuUs / forwarded:F2} | {systemUs / cpuUs:P0} | {forwarded / (cpuUs / 1e6):F0} |"));
        foreach (Socket sink in sinks)
        {
            sink.Dispose();
        }

        return 0;
    }

    public static string MarkdownHeader =>
        "| path | viewers | in pps | forwarded pps | loss | forwarder CPU µs / fwd datagram | of it in the kernel | fwd datagrams per forwarder CPU s |\n"
        + "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |";

    private static void Forward(Socket socket, Socket[] sinks, bool batched, int cpu, long[] received, Window result)
    {
        Pin(cpu);
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        int viewers = sinks.Length;
        byte[] buffers = GC.AllocateArray<byte>(ReceiveBatch * 2048, pinned: true);
        byte[] names = GC.AllocateArray<byte>((ReceiveBatch + viewers) * LinuxSocketCalls.AddressStride, pinned: true);
        var receiveVectors = GC.AllocateArray<LinuxSocketCalls.IoVec>(ReceiveBatch, pinned: true);
        var receiveHeaders = GC.AllocateArray<LinuxSocketCalls.MMsgHdr>(ReceiveBatch, pinned: true);
        var sendVectors = GC.AllocateArray<LinuxSocketCalls.IoVec>(viewers, pinned: true);
        var sendHeaders = GC.AllocateArray<LinuxSocketCalls.MMsgHdr>(viewers, pinned: true);
        var destinations = new SocketAddress[viewers];
        byte* buffer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffers));
        byte* name = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(names));
        var rh = (LinuxSocketCalls.MMsgHdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(receiveHeaders));
        var rv = (LinuxSocketCalls.IoVec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(receiveVectors));
        var sh = (LinuxSocketCalls.MMsgHdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(sendHeaders));
        var sv = (LinuxSocketCalls.IoVec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(sendVectors));
        for (int i = 0; i < ReceiveBatch; i++)
        {
            rv[i].Base = (nint)(buffer + (i * 2048));
            rv[i].Length = 2048;
            rh[i].Header.Iov = (nint)(rv + i);
            rh[i].Header.IovLength = 1;
            rh[i].Header.Name = (nint)(name + (i * LinuxSocketCalls.AddressStride));
        }

        for (int v = 0; v < viewers; v++)
        {
            destinations[v] = ((IPEndPoint)sinks[v].LocalEndPoint!).Serialize();
            byte* slot = name + ((ReceiveBatch + v) * LinuxSocketCalls.AddressStride);
            destinations[v].Buffer.Span[..destinations[v].Size].CopyTo(new Span<byte>(slot, LinuxSocketCalls.AddressStride));
            sh[v].Header.Iov = (nint)(sv + v);
            sh[v].Header.IovLength = 1;
            sh[v].Header.Name = (nint)slot;
            sh[v].Header.NameLength = (uint)destinations[v].Size;
        }

        var from = new SocketAddress(AddressFamily.InterNetwork);
        long datagramsIn = 0;
        bool started = false;
        var clock = new Stopwatch();
        while (true)
        {
            int phase = s_phase;
            if (phase == 1 && !started)
            {
                started = true;
                result.Start = Usage();
                result.ReceivedAtStart = Sum(received);
                result.InAtStart = datagramsIn;
                clock.Start();
            }
            else if (phase >= 2)
            {
                result.End = Usage();
                result.Elapsed = clock.Elapsed;
                result.InAtEnd = datagramsIn;
                Thread.Sleep(200);
                result.ReceivedAtEnd = Sum(received);
                break;
            }

            if (batched)
            {
                for (int i = 0; i < ReceiveBatch; i++)
                {
                    rh[i].Header.NameLength = LinuxSocketCalls.AddressStride;
                }

                int count = LinuxSocketCalls.recvmmsg(fd, rh, ReceiveBatch, LinuxSocketCalls.MsgWaitForOne, null);
                for (int i = 0; i < count && s_phase < 2; i++)
                {
                    datagramsIn++;
                    for (int v = 0; v < viewers; v++)
                    {
                        sv[v].Base = rv[i].Base;
                        sv[v].Length = rh[i].Length;
                    }

                    int sent = 0;
                    while (sent < viewers)
                    {
                        int n = LinuxSocketCalls.sendmmsg(fd, sh + sent, (uint)(viewers - sent), 0);
                        sent += n > 0 ? n : 1;
                    }
                }
            }
            else
            {
                var span = new Span<byte>(buffer, 2048);
                int length = socket.ReceiveFrom(span, SocketFlags.None, from);
                if (s_phase >= 2)
                {
                    continue;
                }

                datagramsIn++;
                for (int v = 0; v < viewers; v++)
                {
                    socket.SendTo(span[..length], SocketFlags.None, destinations[v]);
                }
            }
        }

        GC.KeepAlive(buffers);
        GC.KeepAlive(names);
        GC.KeepAlive(receiveVectors);
        GC.KeepAlive(receiveHeaders);
        GC.KeepAlive(sendVectors);
        GC.KeepAlive(sendHeaders);
    }

    private static void Send(Socket socket, IPEndPoint destination, int pps, int size, int cpu)
    {
        Pin(cpu);
        byte[] datagram = new byte[size];
        datagram[0] = 0x80;
        SocketAddress address = destination.Serialize();
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (s_phase < 2)
        {
            long due = (long)(clock.Elapsed.TotalSeconds * pps);
            while (sent < due)
            {
                socket.SendTo(datagram, SocketFlags.None, address);
                sent++;
            }

            Thread.Sleep(1);
        }
    }

    private static void Read(Socket socket, ref long received, int cpu)
    {
        Pin(cpu);
        byte[] buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (true)
        {
            try
            {
                socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref received);
        }
    }

    private static long Sum(long[] counts)
    {
        long sum = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            sum += Interlocked.Read(ref counts[i]);
        }

        return sum;
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static void Pin(int cpu)
    {
        if (cpu < 0)
        {
            return;
        }

        ulong mask = 1UL << cpu;
        if (sched_setaffinity(0, sizeof(ulong), &mask) != 0)
        {
            throw new InvalidOperationException("sched_setaffinity failed: " + Marshal.GetLastPInvokeError());
        }
    }

    private static CpuUsage Usage()
    {
        Rusage usage;
        if (getrusage(RusageThread, &usage) != 0)
        {
            throw new InvalidOperationException("getrusage failed: " + Marshal.GetLastPInvokeError());
        }

        return new CpuUsage((usage.UserSeconds * 1_000_000) + usage.UserMicroseconds, (usage.SystemSeconds * 1_000_000) + usage.SystemMicroseconds);
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, Rusage* usage);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint size, ulong* mask);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public fixed long Rest[14];
    }

    private readonly record struct CpuUsage(long UserMicroseconds, long SystemMicroseconds);

    private sealed class Window
    {
        public CpuUsage Start { get; set; }

        public CpuUsage End { get; set; }

        public TimeSpan Elapsed { get; set; }

        public long ReceivedAtStart { get; set; }

        public long ReceivedAtEnd { get; set; }

        public long InAtStart { get; set; }

        public long InAtEnd { get; set; }
    }
}
