using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

public class StunMessageReaderTests
{
    [Fact]
    public void Read_Rfc5769SampleRequest_ExposesHeaderAndIceAttributes()
    {
        byte[] packet = Rfc5769.SampleRequest;

        Assert.Equal(StunReadError.None, StunMessageReader.Read(packet, out StunMessageReader message));

        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(0x0001, message.MessageType);
        Assert.Equal(Rfc5769.TransactionId, message.TransactionId.ToArray());
        Assert.True(message.HasUsername);
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(message.Username));
        Assert.True(message.HasPriority);
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.True(message.HasIceControlled);
        Assert.Equal(0x932ff9b151263b36UL, message.IceControlledTieBreaker);
        Assert.False(message.HasIceControlling);
        Assert.False(message.UseCandidate);
        Assert.True(message.HasMessageIntegrity);
        Assert.True(message.HasFingerprint);
        Assert.False(message.HasXorMappedAddress);
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out ReadOnlySpan<byte> software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
    }

    [Theory]
    [InlineData("2.2", "192.0.2.1", 32853)]
    [InlineData("2.3", "2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void Read_Rfc5769SampleResponses_UndoTheXorOfTheMappedAddress(string vector, string address, int port)
    {
        Assert.True(StunMessageReader.TryRead(Rfc5769.Vector(vector), out StunMessageReader message));

        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out ReadOnlySpan<byte> software));
        Assert.Equal("test vector", Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetXorMappedAddress(out StunTransportAddress mapped));
        Assert.Equal(address, mapped.ToIPEndPoint().Address.ToString());
        Assert.Equal(port, mapped.Port);
        Assert.Equal(System.Net.IPAddress.Parse(address).GetAddressBytes(), AddressBytes(mapped));
    }

    [Fact]
    public void Read_Rfc5769LongTermRequest_ParsesAndVerifiesUnderTheLongTermKey()
    {
        byte[] packet = Rfc5769.SampleLongTermRequest;

        Assert.Equal(StunReadError.None, StunMessageReader.Read(packet, out StunMessageReader message));

        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(Rfc5769.Hex("78 ad 34 33 c6 ad 72 c0 29 da 41 2e"), message.TransactionId.ToArray());
        const string username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        Assert.Equal(username, Encoding.UTF8.GetString(message.Username));
        Assert.True(message.TryGetAttribute(StunAttributeType.Nonce, out ReadOnlySpan<byte> nonce));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetAttribute(StunAttributeType.Realm, out ReadOnlySpan<byte> realm));
        Assert.Equal("example.org", Encoding.UTF8.GetString(realm));
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);

        // RFC 8489 section 9.2.2: key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)).
        byte[] key = MD5.HashData(Encoding.UTF8.GetBytes(username + ":example.org:TheMatrIX"));
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.False(message.VerifyMessageIntegrity(MD5.HashData(Encoding.UTF8.GetBytes(username + ":example.org:TheMatrix"))));
    }

    [Theory]
    [InlineData(0x0001, StunClass.Request, StunMethod.Binding)]
    [InlineData(0x0011, StunClass.Indication, StunMethod.Binding)]
    [InlineData(0x0101, StunClass.SuccessResponse, StunMethod.Binding)]
    [InlineData(0x0111, StunClass.ErrorResponse, StunMethod.Binding)]
    [InlineData(0x0003, StunClass.Request, (StunMethod)0x003)]
    [InlineData(0x0113, StunClass.ErrorResponse, (StunMethod)0x003)]
    [InlineData(0x0016, StunClass.Indication, (StunMethod)0x006)]
    [InlineData(0x3EEF, StunClass.Request, (StunMethod)0xFFF)]
    [InlineData(0x3FFF, StunClass.ErrorResponse, (StunMethod)0xFFF)]
    public void MessageType_SplitsIntoClassAndMethodAndComposesBack(int type, StunClass expectedClass, StunMethod expectedMethod)
    {
        byte[] packet = new StunTestMessage((ushort)type).ToArray();

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));
        Assert.Equal(expectedClass, message.Class);
        Assert.Equal(expectedMethod, message.Method);
        Assert.Equal(type, StunMessageReader.ComposeType(expectedMethod, expectedClass));
    }

    [Fact]
    public void Read_AcceptsAHeaderWithNoAttributes()
    {
        Assert.Equal(StunReadError.None, StunMessageReader.Read(new StunTestMessage().ToArray(), out StunMessageReader message));
        Assert.False(message.HasUsername);
        Assert.True(message.Username.IsEmpty);
        Assert.False(message.VerifyMessageIntegrity(Rfc5769.PasswordBytes));
        Assert.False(message.GetAttributes().MoveNext());
    }

    [Fact]
    public void Read_ReportsTooShort()
    {
        Assert.Equal(StunReadError.TooShort, StunMessageReader.Read(Rfc5769.SampleRequest.AsSpan(0, 19), out _));
        Assert.Equal(StunReadError.TooShort, StunMessageReader.Read([], out _));
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x80)]
    [InlineData(0xC0)]
    public void Read_ReportsNotStunWhenTheTopBitsAreSet(byte bits)
    {
        byte[] packet = Rfc5769.SampleRequest;
        packet[0] |= bits;

        Assert.Equal(StunReadError.NotStun, StunMessageReader.Read(packet, out _));
        Assert.False(StunMessageReader.IsStun(packet));
    }

    [Fact]
    public void Read_ReportsBadMagicCookie()
    {
        byte[] packet = Rfc5769.SampleRequest;
        packet[7] ^= 0x01;

        Assert.Equal(StunReadError.BadMagicCookie, StunMessageReader.Read(packet, out _));
        Assert.False(StunMessageReader.IsStun(packet));
        Assert.True(StunMessageReader.IsStun(Rfc5769.SampleRequest));
    }

    [Theory]
    [InlineData(0x59)]
    [InlineData(0x54)]
    [InlineData(0x5C)]
    [InlineData(0xFFFC)]
    public void Read_ReportsBadLengthWhenTheHeaderLengthIsNotTheDatagramOrNotAligned(int length)
    {
        byte[] packet = Rfc5769.SampleRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)length);

        Assert.Equal(StunReadError.BadLength, StunMessageReader.Read(packet, out _));
    }

    [Fact]
    public void Read_ReportsBadLengthForTrailingBytes()
    {
        byte[] packet = [.. Rfc5769.SampleRequest, 0, 0, 0, 0];

        Assert.Equal(StunReadError.BadLength, StunMessageReader.Read(packet, out _));
    }

    [Fact]
    public void Read_ReportsBadAttributeWhenAnAttributeRunsPastTheMessage()
    {
        // SOFTWARE claims 0x40 bytes where 0x10 are.
        byte[] packet = Rfc5769.SampleRequest;
        packet[23] = 0x40;

        Assert.Equal(StunReadError.BadAttribute, StunMessageReader.Read(packet, out _));
    }

    [Fact]
    public void Read_ReportsBadAttributeWhenThePaddingRunsPastTheMessage()
    {
        // An 8-byte message body holding one attribute of length 1 (needs 4 + 4) is fine; length 5 needs 12.
        byte[] packet = new StunTestMessage().Add(0x8030, 1, 2, 3, 4).ToArray();
        packet[23] = 5;

        Assert.Equal(StunReadError.BadAttribute, StunMessageReader.Read(packet, out _));
    }

    public static TheoryData<StunAttributeType, byte[]> MalformedKnownAttributes => new()
    {
        { StunAttributeType.Priority, new byte[3] },
        { StunAttributeType.Priority, new byte[8] },
        { StunAttributeType.UseCandidate, new byte[4] },
        { StunAttributeType.IceControlling, new byte[4] },
        { StunAttributeType.IceControlled, new byte[12] },
        { StunAttributeType.MessageIntegrity, new byte[16] },
        { StunAttributeType.Fingerprint, new byte[8] },
        { StunAttributeType.XorMappedAddress, new byte[] { 0, 1, 0, 0 } },
        { StunAttributeType.XorMappedAddress, new byte[] { 0, 2, 0, 0, 1, 2, 3, 4 } },
        { StunAttributeType.XorMappedAddress, new byte[] { 0, 3, 0, 0, 1, 2, 3, 4 } },
        { StunAttributeType.ErrorCode, new byte[] { 0, 0, 4 } },
        { StunAttributeType.ErrorCode, new byte[] { 0, 0, 2, 0 } },
        { StunAttributeType.ErrorCode, new byte[] { 0, 0, 7, 0 } },
        { StunAttributeType.ErrorCode, new byte[] { 0, 0, 4, 100 } },
    };

    [Theory]
    [MemberData(nameof(MalformedKnownAttributes))]
    public void Read_ReportsBadAttributeValueForAKnownAttributeOfTheWrongShape(StunAttributeType type, byte[] value)
    {
        byte[] packet = new StunTestMessage().Add(type, value).ToArray();

        Assert.Equal(StunReadError.BadAttributeValue, StunMessageReader.Read(packet, out _));
    }

    [Fact]
    public void Read_ReportsFingerprintNotLast()
    {
        byte[] packet = new StunTestMessage().AddFingerprint().Add(StunAttributeType.Software, "x"u8.ToArray()).ToArray();

        Assert.Equal(StunReadError.FingerprintNotLast, StunMessageReader.Read(packet, out _));
    }

    [Fact]
    public void Read_IgnoresAttributesAfterMessageIntegrityOtherThanFingerprint()
    {
        byte[] packet = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .AddIntegrity(Rfc5769.PasswordBytes)
            .Add(StunAttributeType.Username, "evil:x"u8.ToArray())
            .AddUInt32(StunAttributeType.Priority, 7)
            .Add(StunAttributeType.UseCandidate)
            .Add(0x0042, 1, 2, 3, 4)                             // unknown, comprehension-required
            .Add(StunAttributeType.IceControlling, 1, 2, 3)      // malformed, but ignored
            .AddFingerprint()
            .ToArray();

        Assert.Equal(StunReadError.None, StunMessageReader.Read(packet, out StunMessageReader message));

        Assert.Equal("a:b", Encoding.UTF8.GetString(message.Username));
        Assert.False(message.HasPriority);
        Assert.False(message.UseCandidate);
        Assert.False(message.HasIceControlling);
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);
        Assert.True(message.VerifyMessageIntegrity(Rfc5769.PasswordBytes));
        Assert.True(message.VerifyFingerprint());
        var seen = new List<StunAttributeType>();
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            seen.Add(attribute.Type);
        }

        Assert.Equal([StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.Fingerprint], seen);
    }

    [Fact]
    public void Read_CountsUnknownComprehensionRequiredAttributesAndSkipsOptionalOnes()
    {
        byte[] packet = new StunTestMessage()
            .Add(0x8077, 9, 9)                        // unknown, optional: skipped
            .Add(0x0042, 1)                           // unknown, required
            .Add(StunAttributeType.MessageIntegritySha256, new byte[32]) // known to RFC 8489, not supported here
            .Add(StunAttributeType.Realm, "r"u8.ToArray())               // known, no accessor, not a 420
            .Add(0x7FFF)
            .ToArray();

        Assert.Equal(StunReadError.None, StunMessageReader.Read(packet, out StunMessageReader message));

        Assert.Equal(3, message.UnknownComprehensionRequiredCount);
        Span<StunAttributeType> unknown = stackalloc StunAttributeType[8];
        int count = message.CopyUnknownComprehensionRequired(unknown);
        Assert.Equal([(StunAttributeType)0x0042, StunAttributeType.MessageIntegritySha256, (StunAttributeType)0x7FFF], unknown.Slice(0, count).ToArray());
        Assert.Equal(2, message.CopyUnknownComprehensionRequired(unknown.Slice(0, 2)));
    }

    [Fact]
    public void Read_KeepsTheFirstOfRepeatedAttributes()
    {
        byte[] packet = new StunTestMessage()
            .Add(StunAttributeType.Username, "first"u8.ToArray())
            .Add(StunAttributeType.Username, "second"u8.ToArray())
            .AddUInt32(StunAttributeType.Priority, 1)
            .AddUInt32(StunAttributeType.Priority, 2)
            .AddUInt64(StunAttributeType.IceControlling, 3)
            .AddUInt64(StunAttributeType.IceControlling, 4)
            .ToArray();

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));

        Assert.Equal("first", Encoding.UTF8.GetString(message.Username));
        Assert.Equal(1u, message.Priority);
        Assert.Equal(3UL, message.IceControllingTieBreaker);
    }

    [Fact]
    public void TryGetErrorCode_ReadsClassNumberAndReasonPhrase()
    {
        byte[] packet = new StunTestMessage(0x0111).Add(StunAttributeType.ErrorCode, [0, 0, 4, 20, .. "Unknown Attribute"u8]).ToArray();

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));

        Assert.True(message.TryGetErrorCode(out StunErrorCode code, out ReadOnlySpan<byte> reason));
        Assert.Equal(StunErrorCode.UnknownAttribute, code);
        Assert.Equal("Unknown Attribute", Encoding.UTF8.GetString(reason));
    }

    [Theory]
    [MemberData(nameof(Rfc5769.AllVectorNames), MemberType = typeof(Rfc5769))]
    public void Read_FailsForEveryTruncatedPrefix(string vector)
    {
        byte[] packet = Rfc5769.Vector(vector);

        for (int length = 0; length < packet.Length; length++)
        {
            StunReadError error = StunMessageReader.Read(packet.AsSpan(0, length), out _);
            Assert.True(error != StunReadError.None, $"a {length}-byte prefix of {vector} read as a message");
        }
    }

    [Theory]
    [MemberData(nameof(Rfc5769.AllVectorNames), MemberType = typeof(Rfc5769))]
    public void Read_ReportsBadAttributeForEveryCutInsideAnAttributeWithTheLengthFieldMadeToMatch(string vector)
    {
        // With the header length fixed up the header checks pass, so the attribute walk must catch the cut.
        byte[] packet = Rfc5769.Vector(vector);
        List<int> boundaries = Rfc5769.AttributeOffsets(packet);

        for (int length = 20; length < packet.Length; length += 4)
        {
            byte[] prefix = packet.AsSpan(0, length).ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(2), (ushort)(length - 20));
            StunReadError expected = boundaries.Contains(length) ? StunReadError.None : StunReadError.BadAttribute;
            Assert.Equal(expected, StunMessageReader.Read(prefix, out _));
        }
    }

    private static byte[] AddressBytes(StunTransportAddress address)
    {
        var bytes = new byte[address.AddressLength];
        address.CopyAddressTo(bytes);
        return bytes;
    }
}
