using System.Net;
using System.Text;
using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

public class StunMessageWriterTests
{
    private static readonly byte[] s_key = Rfc5769.PasswordBytes;

    [Fact]
    public void Write_Rfc5769SampleRequest_DiffersOnlyInPaddingAndReproducesItOnceThePaddingMatches()
    {
        var writer = new StunMessageWriter(StunMethod.Binding, StunClass.Request, Rfc5769.TransactionId)
        {
            Software = "STUN test client"u8,
            Priority = 0x6e0001ff,
            IceRole = StunIceRole.Controlled,
            TieBreaker = 0x932ff9b151263b36,
            Username = "evtj:h6vY"u8,
            MessageIntegrityKey = s_key,
            IncludeFingerprint = true,
        };

        AssertReproduces(Rfc5769.SampleRequest, Write(writer));
    }

    [Theory]
    [InlineData("2.2", "192.0.2.1")]
    [InlineData("2.3", "2001:db8:1234:5678:11:2233:4455:6677")]
    public void Write_Rfc5769SampleResponses_DifferOnlyInPaddingAndReproduceThemOnceThePaddingMatches(string vector, string ip)
    {
        var mapped = StunTransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Parse(ip), 32853));
        StunMessageWriter writer = StunMessageWriter.BindingSuccessResponse(Rfc5769.TransactionId, mapped, s_key);
        writer.Software = "test vector"u8;

        AssertReproduces(Rfc5769.Vector(vector), Write(writer));
    }

    [Fact]
    public void BindingRequest_ReadsBackThroughTheCheck()
    {
        byte[] transactionId = Convert.FromHexString("0102030405060708090a0b0c");
        byte[] packet = Write(StunMessageWriter.BindingRequest(
            transactionId, "relay:brws"u8, priority: 1853817087, StunIceRole.Controlling, tieBreaker: 0x0123456789ABCDEF, useCandidate: true, s_key));

        Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(packet, s_key, out StunBindingRequest request));

        Assert.Equal(transactionId, request.TransactionId.ToArray());
        Assert.Equal("relay:brws", Encoding.UTF8.GetString(request.Username));
        Assert.Equal(1853817087u, request.Priority);
        Assert.Equal(StunIceRole.Controlling, request.Role);
        Assert.Equal(0x0123456789ABCDEFUL, request.TieBreaker);
        Assert.True(request.UseCandidate);
        Assert.True(request.Message.VerifyFingerprint());
    }

    [Theory]
    [InlineData(StunErrorCode.BadRequest, "Bad Request")]
    [InlineData(StunErrorCode.Unauthenticated, "Unauthenticated")]
    [InlineData(StunErrorCode.UnknownAttribute, "Unknown Attribute")]
    [InlineData(StunErrorCode.RoleConflict, "Role Conflict")]
    [InlineData(StunErrorCode.ServerError, "Server Error")]
    public void BindingErrorResponse_CarriesTheCodeAndTheRfcReasonPhrase(StunErrorCode code, string reason)
    {
        byte[] packet = Write(StunMessageWriter.BindingErrorResponse(Rfc5769.TransactionId, code, s_key));

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));
        Assert.Equal(StunClass.ErrorResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(0x0111, message.MessageType);
        Assert.True(message.TryGetErrorCode(out StunErrorCode readCode, out ReadOnlySpan<byte> readReason));
        Assert.Equal(code, readCode);
        Assert.Equal(reason, Encoding.UTF8.GetString(readReason));
        Assert.True(message.VerifyMessageIntegrity(s_key));
        Assert.True(message.VerifyFingerprint());
        Assert.True(Rfc5769.PaddingPositions(packet).TrueForAll(i => packet[i] == 0), "RFC 8489 pads with zeros");
    }

    [Fact]
    public void BindingErrorResponse_WithoutKeyLeavesOutMessageIntegrity()
    {
        byte[] packet = Write(StunMessageWriter.BindingErrorResponse(Rfc5769.TransactionId, StunErrorCode.Unauthenticated, default));

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));
        Assert.False(message.HasMessageIntegrity);
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void BindingErrorResponse_420ListsTheUnknownAttributesPaddedToFourBytes()
    {
        StunAttributeType[] unknown = [(StunAttributeType)0x0042, (StunAttributeType)0x7001, StunAttributeType.MessageIntegritySha256];
        byte[] packet = Write(StunMessageWriter.BindingErrorResponse(Rfc5769.TransactionId, StunErrorCode.UnknownAttribute, s_key, unknown));

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));
        Assert.True(message.TryGetAttribute(StunAttributeType.UnknownAttributes, out ReadOnlySpan<byte> value));
        Assert.Equal(Convert.FromHexString("00427001001C"), value.ToArray());
        int offset = Rfc5769.OffsetOf(packet, (ushort)StunAttributeType.UnknownAttributes);
        Assert.Equal(0, packet[offset + 4 + 6]);
        Assert.Equal(0, packet[offset + 4 + 7]);
        Assert.True(message.VerifyMessageIntegrity(s_key));
    }

    [Fact]
    public void ErrorReasonPhrase_ReplacesTheDefaultAndOtherCodesNeedOne()
    {
        var writer = new StunMessageWriter(StunMethod.Binding, StunClass.ErrorResponse, Rfc5769.TransactionId)
        {
            ErrorCode = (StunErrorCode)699,
            ErrorReasonPhrase = "Odd"u8,
        };

        Assert.True(StunMessageReader.TryRead(Write(writer), out StunMessageReader message));
        Assert.True(message.TryGetErrorCode(out StunErrorCode code, out ReadOnlySpan<byte> reason));
        Assert.Equal(699, (int)code);
        Assert.Equal("Odd", Encoding.UTF8.GetString(reason));
    }

    [Fact]
    public void Write_WithNeitherIntegrityNorFingerprintSetsTheLength()
    {
        var writer = new StunMessageWriter(StunMethod.Binding, StunClass.Indication, Rfc5769.TransactionId) { Username = "x"u8 };

        byte[] packet = Write(writer);

        Assert.Equal(28, packet.Length);
        Assert.Equal(StunReadError.None, StunMessageReader.Read(packet, out StunMessageReader message));
        Assert.Equal(StunClass.Indication, message.Class);
        Assert.False(message.HasFingerprint);
    }

    [Fact]
    public void TryWrite_ReturnsFalseWhenTheDestinationIsShort()
    {
        StunMessageWriter writer = StunMessageWriter.BindingSuccessResponse(
            Rfc5769.TransactionId, new StunTransportAddress([192, 0, 2, 1], 9), s_key);
        var buffer = new byte[writer.GetSerializedLength() - 1];

        Assert.False(writer.TryWrite(buffer, out int written));
        Assert.Equal(0, written);
        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    [Fact]
    public void GetSerializedLength_IsWhatTryWriteWrites()
    {
        var writer = new StunMessageWriter(StunMethod.Binding, StunClass.Request, Rfc5769.TransactionId)
        {
            Software = "relay"u8,
            Username = "abcd:efg"u8,
            Priority = 1,
            IceRole = StunIceRole.Controlled,
            UseCandidate = true,
            XorMappedAddress = new StunTransportAddress(new byte[16], 1),
            ErrorCode = StunErrorCode.BadRequest,
            UnknownAttributes = new[] { (StunAttributeType)1 },
            MessageIntegrityKey = s_key,
            IncludeFingerprint = true,
        };
        var buffer = new byte[1024];

        Assert.True(writer.TryWrite(buffer, out int written));
        Assert.Equal(writer.GetSerializedLength(), written);
        Assert.Equal(StunReadError.None, StunMessageReader.Read(buffer.AsSpan(0, written), out _));
    }

    [Fact]
    public void Constructor_ThrowsForATransactionIdThatIsNotTwelveBytes()
    {
        Assert.Throws<ArgumentException>(() => new StunMessageWriter(StunMethod.Binding, StunClass.Request, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StunMessageWriter((StunMethod)0x1000, StunClass.Request, new byte[12]));
        Assert.Throws<InvalidOperationException>(() => default(StunMessageWriter).GetSerializedLength());
    }

    [Fact]
    public void GetSerializedLength_ThrowsForValuesTheRfcForbids()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StunMessageWriter(StunMethod.Binding, StunClass.Request, new byte[12]) { Username = new byte[509] }.GetSerializedLength());
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StunMessageWriter(StunMethod.Binding, StunClass.ErrorResponse, new byte[12]) { ErrorCode = (StunErrorCode)299 }.GetSerializedLength());
        Assert.Throws<ArgumentException>(() =>
            new StunMessageWriter(StunMethod.Binding, StunClass.SuccessResponse, new byte[12]) { XorMappedAddress = default(StunTransportAddress) }.GetSerializedLength());
    }

    [Fact]
    public void BindingSuccessResponse_WritingAllocatesNothing()
    {
        byte[] transactionId = Rfc5769.TransactionId;
        var mapped = new StunTransportAddress([198, 51, 100, 9], 50000);
        var buffer = new byte[256];

        long allocated = Allocations.Measure(() =>
        {
            StunMessageWriter writer = StunMessageWriter.BindingSuccessResponse(transactionId, mapped, s_key);
            writer.TryWrite(buffer, out _);
        });

        Assert.Equal(0, allocated);
    }

    private static byte[] Write(StunMessageWriter writer)
    {
        var buffer = new byte[writer.GetSerializedLength()];
        Assert.True(writer.TryWrite(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return buffer;
    }

    /// <summary>
    /// The writer pads with zeros where RFC 5769 padded with spaces. Every other byte before
    /// MESSAGE-INTEGRITY must match; with the vector's padding put in and the trailer appended again,
    /// the whole vector must come out.
    /// </summary>
    private static void AssertReproduces(byte[] vector, byte[] written)
    {
        Assert.Equal(vector.Length, written.Length);
        List<int> padding = Rfc5769.PaddingPositions(vector);
        int integrityOffset = Rfc5769.OffsetOf(vector, (ushort)StunAttributeType.MessageIntegrity);
        Assert.Equal(integrityOffset, Rfc5769.OffsetOf(written, (ushort)StunAttributeType.MessageIntegrity));
        for (int i = 0; i < integrityOffset; i++)
        {
            if (i is 2 or 3)
            {
                continue; // the length: the writer's final one, the vector's final one, compared below
            }

            Assert.True(padding.Contains(i) ? written[i] == 0 : written[i] == vector[i], $"byte {i}: wrote {written[i]:x2}, vector has {vector[i]:x2}");
        }

        Assert.Equal(vector.AsSpan(2, 2).ToArray(), written.AsSpan(2, 2).ToArray());
        Assert.True(StunMessageReader.TryRead(written, out StunMessageReader message));
        Assert.True(message.VerifyMessageIntegrity(s_key));
        Assert.True(message.VerifyFingerprint());

        foreach (int i in padding)
        {
            written[i] = vector[i];
        }

        Assert.True(StunMessageIntegrity.TryAppend(written, integrityOffset, s_key, out int length));
        Assert.True(StunFingerprint.TryAppend(written, length, out _));
        Assert.Equal(Convert.ToHexString(vector), Convert.ToHexString(written));
    }
}
