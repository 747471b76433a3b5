using Relay.Testing;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

[Collection(nameof(RunsAlone))]
public class DtlsHostileInputTests
{
    private static readonly byte[] s_types = [20, 21, 22, 23];
    private static readonly byte[] s_handshakeOrData = [22, 23];

    [Fact]
    public void RandomInput_NeverThrows_AndLeavesAConnectedLinkWorking()
    {
        using var link = new DtlsLink();
        link.Run();
        DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
        byte[] serverKey = link.Server.SrtpKeys!.LocalMasterKey.ToArray();

        for (int seed = 0; seed < 1000; seed++)
        {
            var random = new Random(seed);
            link.Server.ProcessIncoming(HostileDatagrams.RandomBytes(random));
            link.Client.ProcessIncoming(HostileDatagrams.RandomBytes(random));

            // After the handshake only epoch 1 is current; epoch 0 records (even alerts) are ignored.
            link.Server.ProcessIncoming(HostileDatagrams.RandomRecords(random, 0, 1, s_types));
            link.Client.ProcessIncoming(HostileDatagrams.RandomRecords(random, 0, 3, s_types));
        }

        Assert.Equal(DtlsState.Connected, link.Server.State);
        Assert.Equal(DtlsState.Connected, link.Client.State);
        Assert.True(link.Server.SrtpKeys!.LocalMasterKey.SequenceEqual(serverKey));
        Assert.Equal(0, link.Server.PendingInputBytes);

        // The link still carries close_notify.
        link.Deliver();
        link.Client.Close();
        link.Deliver();
        Assert.Equal(DtlsState.Closed, link.Server.State);
        Assert.Contains("close_notify", link.Server.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomInput_DuringTheHandshake_NeverThrows_AndTheHandshakeStillCompletes()
    {
        using var link = new DtlsLink();
        link.Start();
        link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());

        // Plaintext alerts and handshake messages of epoch 0 are unauthenticated in DTLS 1.2 and can
        // legitimately end a handshake, so they are left out; everything else a forger can send is in.
        for (int seed = 0; seed < 1000; seed++)
        {
            var random = new Random(seed);
            link.Server.ProcessIncoming(HostileDatagrams.RandomBytes(random));
            link.Client.ProcessIncoming(HostileDatagrams.RandomBytes(random));
            link.Server.ProcessIncoming(HostileDatagrams.RandomRecords(random, 2, 9, s_handshakeOrData));
            link.Client.ProcessIncoming(HostileDatagrams.RandomRecords(random, 2, 9, s_handshakeOrData));
            link.Server.ProcessIncoming(HostileDatagrams.RandomRecords(random, 0, 0, [23]));

            // Epoch-1 records too short to carry an AEAD tag (which OpenSSL 3.0 would die on).
            link.Server.ProcessIncoming(HostileDatagrams.Record(22, 1, (ulong)seed, new byte[seed % 24]));
            link.Client.ProcessIncoming(HostileDatagrams.Record(21, 1, (ulong)seed, new byte[seed % 16]));

            // Undecryptable epoch-1 records, fewer than the early-epoch allowance (a flood of them is
            // EarlyEpochOneFlood_IsRationed_SoOpenSslCannotBufferMuch).
            if (seed < DtlsTransport.MaxEarlyEpochOneDatagrams / 2)
            {
                link.Server.ProcessIncoming(HostileDatagrams.RandomRecords(random, 1, 1, s_handshakeOrData));
                link.Client.ProcessIncoming(HostileDatagrams.RandomRecords(random, 1, 1, s_handshakeOrData));
            }
        }

        link.RunToSettled();

        DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
        Assert.True(link.Server.DroppedDatagrams > 0);
    }

    [Fact]
    public void RecordShapedGarbageOfEveryKind_NeverThrows_InAnyState()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            using var link = new DtlsLink();
            link.Start();
            int stopAfter = random.Next(0, 4);
            for (int i = 0; i < stopAfter && link.Deliver() > 0; i++)
            {
            }

            for (int i = 0; i < 10; i++)
            {
                link.Server.ProcessIncoming(HostileDatagrams.RandomRecords(random, 0, 2));
                link.Client.ProcessIncoming(HostileDatagrams.RandomRecords(random, 0, 2));
            }

            link.Deliver();
            Assert.Equal(0, link.Server.PendingInputBytes);
            Assert.True(link.Server.State != DtlsState.Failed || link.Server.Reason!.Length > 0);
        }
    }

    [Fact]
    public void EveryTruncationOfRealFlights_NeverThrows_AndTheHandshakeStillCompletes()
    {
        using var link = new DtlsLink();
        link.Start();
        byte[] clientHello = link.ClientListener.Outgoing.Peek();
        foreach (byte[] truncated in HostileInput.Truncations(clientHello))
        {
            link.Server.ProcessIncoming(truncated);
        }

        link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());
        link.Client.ProcessIncoming(link.ServerListener.Outgoing.Dequeue());
        byte[] secondFlight = link.ClientListener.Outgoing.Peek();
        foreach (byte[] truncated in HostileInput.Truncations(secondFlight))
        {
            link.Server.ProcessIncoming(truncated);
        }

        Assert.Equal(DtlsState.Connecting, link.Server.State);
        link.RunToSettled();

        DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
    }

    [Fact]
    public void CorruptedClientHellos_NeverThrow()
    {
        byte[] clientHello;
        using (var source = new DtlsLink())
        {
            source.Client.Start();
            clientHello = source.ClientListener.Outgoing.Dequeue();
        }

        int seed = -1;
        DtlsTransport? server = null;
        var listener = new RecordingListener();
        try
        {
            foreach ((int Seed, byte[] Input) corruption in HostileInput.Corruptions(clientHello, seeds: 200, perSeed: 10))
            {
                // A fresh server per seed, so each seed's inputs meet a server that has not yet started a handshake.
                if (corruption.Seed != seed)
                {
                    seed = corruption.Seed;
                    server?.Dispose();
                    server = new DtlsTransport(new DtlsTransportOptions
                    {
                        Role = DtlsRole.Server,
                        Certificate = TestCertificates.Server,
                        RemoteFingerprint = TestCertificates.Client.Fingerprint,
                    }, listener);
                    server.Start();
                }

                server!.ProcessIncoming(corruption.Input);
                Assert.Equal(0, server.PendingInputBytes);
            }
        }
        finally
        {
            server?.Dispose();
        }
    }

    [Fact]
    public void ClientHelloFlood_KeepsMemoryBounded_SendsNoReplies_AndAParallelHandshakeCompletes()
    {
        byte[][] clientHellos = new byte[32][];
        for (int i = 0; i < clientHellos.Length; i++)
        {
            using var source = new DtlsLink();
            source.Client.Start();
            clientHellos[i] = source.ClientListener.Outgoing.Dequeue();
        }

        var victimListener = new RecordingListener();
        using var victim = new DtlsTransport(new DtlsTransportOptions
        {
            Role = DtlsRole.Server,
            Certificate = TestCertificates.Server,
            RemoteFingerprint = TestCertificates.Client.Fingerprint,
        }, victimListener);
        victim.Start();

        // The good pair's server has its own client's ClientHello before the flood begins: in DTLS
        // the first ClientHello wins, which is why the caller must feed only the validated ICE pair.
        using var good = new DtlsLink();
        good.Start();
        good.Server.ProcessIncoming(good.ClientListener.Outgoing.Dequeue());

        var random = new Random(7);
        int sent = 0;
        void Flood()
        {
            for (int i = 0; i < 5_000; i++, sent++)
            {
                byte[] hello = HostileDatagrams.VaryClientHello(clientHellos[sent % clientHellos.Length], random);
                victim.ProcessIncoming(hello);

                // The good pair's own server sees the flood too, mid-handshake.
                good.Server.ProcessIncoming(hello);
                if (i % 500 == 0)
                {
                    good.Deliver();
                }
            }
        }

        Flood();
        long growth = NativeHeap.SmallestGrowth(4, Flood);
        good.RunToSettled();

        DtlsTransportTests.AssertConnectedWithCrossedKeys(good);
        Assert.InRange(growth, long.MinValue, 512 * 1024);
        Assert.Equal(0, victim.PendingInputBytes);

        // Only the first ClientHello is answered; later ones are ignored, so what the victim sends
        // follows its retransmission timer (at most 12 retransmissions), not the flood.
        Assert.Equal(DtlsState.Connecting, victim.State);
        Assert.InRange(victimListener.Sent.Count, 1, 13);
    }

    [Fact]
    public void EarlyEpochOneFlood_IsRationed_SoOpenSslCannotBufferMuch()
    {
        // Each round floods a fresh link and measures while the link is alive (disposing it frees what
        // OpenSSL buffered). The smallest growth of several rounds is taken: the runtime's own native
        // allocations (tier-1 compilation of this loop on a busy machine) come in bursts and once
        // pushed a single measurement past 3 MB.
        long smallest = long.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            using var link = new DtlsLink();
            link.Start();
            link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());
            var random = new Random(11);
            NativeHeap.Collect();
            long before = NativeHeap.AllocatedBytes();

            for (int i = 0; i < 1_000; i++)
            {
                byte[] fragment = new byte[1100];
                random.NextBytes(fragment);
                link.Server.ProcessIncoming(HostileDatagrams.Record(22, 1, (ulong)i, fragment));
            }

            NativeHeap.Collect();
            smallest = Math.Min(smallest, NativeHeap.AllocatedBytes() - before);

            Assert.True(link.Server.DroppedDatagrams >= 1_000 - DtlsTransport.MaxEarlyEpochOneDatagrams);
            Assert.Equal(DtlsState.Connecting, link.Server.State);
        }

        // Unrationed, OpenSSL would hold 100 records in ~17 KB buffers each (about 1.7 MB); rationed,
        // 16 of them (about 280 KB).
        Assert.InRange(smallest, long.MinValue, 1024 * 1024);
    }

    public static TheoryData<byte, int> ShortProtectedRecords()
    {
        var data = new TheoryData<byte, int>();
        foreach (byte type in new byte[] { 20, 21, 22, 23 })
        {
            for (int length = 1; length < 24; length++)
            {
                data.Add(type, length);
            }
        }

        return data;
    }

    // Found by RandomInput_NeverThrows_AndLeavesAConnectedLinkWorking: OpenSSL 3.0 ends an AES-GCM
    // connection on an epoch-1 record shorter than nonce + tag (24 bytes), with an empty error queue.
    [Theory]
    [MemberData(nameof(ShortProtectedRecords))]
    public void ShortProtectedRecord_DoesNotEndAnEstablishedConnection(byte contentType, int fragmentLength)
    {
        using var link = new DtlsLink();
        link.Run();

        link.Server.ProcessIncoming(HostileDatagrams.Record(contentType, 1, 1000, new byte[fragmentLength]));
        link.Client.ProcessIncoming(HostileDatagrams.Record(contentType, 1, 1000, new byte[fragmentLength]));

        Assert.Equal(DtlsState.Connected, link.Server.State);
        Assert.Equal(DtlsState.Connected, link.Client.State);
        Assert.Equal(1, link.Server.DroppedDatagrams);
    }

    // The same flaw during the handshake: OpenSSL buffers the early record and dies on it after
    // the peer's ChangeCipherSpec.
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(23)]
    public void ShortProtectedRecord_DuringTheHandshake_DoesNotEndIt(int fragmentLength)
    {
        using var link = new DtlsLink();
        link.Start();
        link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());
        link.Server.ProcessIncoming(HostileDatagrams.Record(22, 1, 1000, new byte[fragmentLength]));
        link.Client.ProcessIncoming(link.ServerListener.Outgoing.Dequeue());
        link.Client.ProcessIncoming(HostileDatagrams.Record(22, 1, 1000, new byte[fragmentLength]));

        link.RunToSettled();

        DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
    }

    // Found by RandomInput_DuringTheHandshake_NeverThrows_AndTheHandshakeStillCompletes: OpenSSL
    // fails the handshake ("unexpected record") on plaintext application data, which no peer sends.
    [Theory]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(63)]
    public void PlaintextRecordOfNoHandshakeType_DuringTheHandshake_DoesNotEndIt(byte contentType)
    {
        using var link = new DtlsLink();
        link.Start();
        link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());
        link.Server.ProcessIncoming(HostileDatagrams.Record(contentType, 0, 1000, new byte[40]));
        link.Client.ProcessIncoming(HostileDatagrams.Record(contentType, 0, 1000, new byte[40]));

        link.RunToSettled();

        DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
    }

    [Fact]
    public void DroppedInput_OnAConnectedTransport_AllocatesNothing()
    {
        using var link = new DtlsLink();
        link.Run();
        byte[] junk = HostileDatagrams.RandomBytes(new Random(3));
        byte[] records = HostileDatagrams.RandomRecords(new Random(4), 1, 1, [23]);
        for (int i = 0; i < 100; i++)
        {
            link.Server.ProcessIncoming(junk);
            link.Server.ProcessIncoming(records);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            link.Server.ProcessIncoming(junk);
            link.Server.ProcessIncoming(records);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(DtlsState.Connected, link.Server.State);
    }
}
