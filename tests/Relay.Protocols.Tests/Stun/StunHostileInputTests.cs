using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

/// <summary>Bad bytes from the network never throw and never read out of bounds.</summary>
public class StunHostileInputTests
{
    public static TheoryData<string> Packets => new() { "2.1", "2.2", "2.3", "2.4", "browser", "error" };

    [Theory]
    [MemberData(nameof(Packets))]
    public void EveryTruncatedPrefix_FailsTheCheckWithoutThrowing(string name)
    {
        byte[] packet = Packet(name);

        for (int length = 0; length < packet.Length; length++)
        {
            // A fresh array of exactly the prefix: reading past it would throw, not read stale bytes.
            byte[] prefix = packet.AsSpan(0, length).ToArray();
            StunCheckResult result = StunBindingCheck.Check(prefix, Rfc5769.PasswordBytes, out _);
            Assert.True(result is StunCheckResult.NotStun or StunCheckResult.Malformed, $"{name}: {length} bytes gave {result}");
        }
    }

    [Theory]
    [MemberData(nameof(Packets))]
    public void RandomCorruption_NeverThrows(string name)
    {
        byte[] original = Packet(name);
        int accepted = 0;

        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            for (int round = 0; round < 50; round++)
            {
                byte[] packet = Mutate(original, random);
                accepted += Exercise(packet);
            }
        }

        // The mutations must leave some messages readable, or the deeper paths go untested.
        Assert.True(accepted > 0);
    }

    [Fact]
    public void RandomAttributeSoup_NeverThrows()
    {
        // Valid headers with random attribute types, lengths and values, the length field kept right,
        // so the attribute walk and the per-type checks see everything.
        int accepted = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            for (int round = 0; round < 50; round++)
            {
                var message = new StunTestMessage((ushort)(random.Next(2) == 0 ? 0x0001 : random.Next(0x4000)));
                int attributes = random.Next(0, 8);
                for (int i = 0; i < attributes; i++)
                {
                    ushort type = random.Next(3) switch
                    {
                        0 => (ushort)random.Next(0x10000),
                        1 => s_interestingTypes[random.Next(s_interestingTypes.Length)],
                        _ => (ushort)random.Next(0x30),
                    };
                    var value = new byte[random.Next(0, 40)];
                    random.NextBytes(value);
                    message.Add(type, value);
                }

                byte[] packet = message.ToArray();
                accepted += Exercise(packet);
                if (random.Next(4) == 0 && packet.Length > 20)
                {
                    // Lie about an attribute length too.
                    packet[23] = (byte)random.Next(256);
                    accepted += Exercise(packet);
                }
            }
        }

        Assert.True(accepted > 0);
    }

    private static readonly ushort[] s_interestingTypes =
    [
        0x0006, 0x0008, 0x0009, 0x000A, 0x0020, 0x0024, 0x0025, 0x8028, 0x8029, 0x802A, 0x0001, 0x001C,
    ];

    private static byte[] Packet(string name) => name switch
    {
        "browser" => BrowserCapture.NominatingBindingRequest,
        "error" => ErrorResponse(),
        _ => Rfc5769.Vector(name),
    };

    private static byte[] ErrorResponse()
    {
        StunMessageWriter writer = StunMessageWriter.BindingErrorResponse(
            Rfc5769.TransactionId, StunErrorCode.UnknownAttribute, Rfc5769.PasswordBytes, [(StunAttributeType)0x0042]);
        var buffer = new byte[writer.GetSerializedLength()];
        writer.TryWrite(buffer, out _);
        return buffer;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] packet = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                packet[random.Next(packet.Length)] = (byte)random.Next(256);
                break;
            case 1:
                // Attribute lengths are where parsers go wrong: hit the length bytes of attribute headers.
                int offset = 20 + (4 * random.Next((packet.Length - 20) / 4));
                packet[Math.Min(offset + 2 + random.Next(2), packet.Length - 1)] = (byte)random.Next(256);
                break;
            case 2:
                for (int i = random.Next(1, 6); i > 0; i--)
                {
                    packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            default:
                packet = packet.AsSpan(0, random.Next(packet.Length + 1)).ToArray();
                if (packet.Length >= 4)
                {
                    packet[2] = (byte)((packet.Length - 20) >> 8);
                    packet[3] = (byte)(packet.Length - 20);
                }

                break;
        }

        return packet;
    }

    /// <summary>Runs everything a caller may call on what was read; returns 1 if the message read.</summary>
    private static int Exercise(byte[] packet)
    {
        StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out _);
        if (!StunMessageReader.TryRead(packet, out StunMessageReader message))
        {
            return 0;
        }

        _ = message.Class;
        _ = message.Method;
        _ = message.TransactionId.Length + message.Username.Length;
        message.VerifyFingerprint();
        message.VerifyMessageIntegrity(Rfc5769.PasswordBytes);
        message.TryGetXorMappedAddress(out StunTransportAddress address);
        if (address.Family != StunAddressFamily.None)
        {
            _ = address.ToIPEndPoint();
        }

        message.TryGetErrorCode(out _, out _);
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            _ = attribute.Value.Length;
        }

        Span<StunAttributeType> unknown = stackalloc StunAttributeType[4];
        message.CopyUnknownComprehensionRequired(unknown);
        return 1;
    }
}
