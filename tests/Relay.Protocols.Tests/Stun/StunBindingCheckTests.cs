using System.Text;
using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

public class StunBindingCheckTests
{
    [Fact]
    public void Check_AcceptsABrowsersNominatingRequest()
    {
        StunCheckResult result = StunBindingCheck.Check(BrowserCapture.NominatingBindingRequest, BrowserCapture.PasswordBytes, out StunBindingRequest request);

        Assert.Equal(StunCheckResult.Ok, result);
        Assert.Equal("p9KA:SQAt", Encoding.UTF8.GetString(request.Username));
        Assert.True(request.TrySplitUsername(out ReadOnlySpan<byte> local, out ReadOnlySpan<byte> remote));
        Assert.Equal("p9KA", Encoding.UTF8.GetString(local));
        Assert.Equal("SQAt", Encoding.UTF8.GetString(remote));
        Assert.Equal(0x6e7f1effu, request.Priority);
        Assert.True(request.UseCandidate);
        Assert.Equal(StunIceRole.Controlling, request.Role);
        Assert.Equal(0x6eeec6e97d18395cUL, request.TieBreaker);
        Assert.Equal(Convert.FromHexString("6a756331357578556e674763"), request.TransactionId.ToArray());
        Assert.Equal(0, request.Message.UnknownComprehensionRequiredCount);
    }

    [Fact]
    public void Check_AcceptsTheRfc5769SampleRequest()
    {
        Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(Rfc5769.SampleRequest, Rfc5769.PasswordBytes, out StunBindingRequest request));

        Assert.Equal(StunIceRole.Controlled, request.Role);
        Assert.Equal(0x932ff9b151263b36UL, request.TieBreaker);
        Assert.False(request.UseCandidate);
    }

    [Fact]
    public void Check_ReportsIntegrityMismatchForAWrongPassword()
    {
        Assert.Equal(StunCheckResult.IntegrityMismatch, StunBindingCheck.Check(BrowserCapture.NominatingBindingRequest, Rfc5769.PasswordBytes, out StunBindingRequest request));
        Assert.Equal(StunCheckResult.IntegrityMismatch, StunBindingCheck.Check(BrowserCapture.NominatingBindingRequest, default, out _));

        // The transaction id is there to answer 401 with.
        Assert.Equal(Convert.FromHexString("6a756331357578556e674763"), request.TransactionId.ToArray());
    }

    [Fact]
    public void Check_ReportsFingerprintMismatchBeforeLookingAtIntegrity()
    {
        byte[] packet = BrowserCapture.NominatingBindingRequest;
        packet[^1] ^= 0x01;

        Assert.Equal(StunCheckResult.FingerprintMismatch, StunBindingCheck.Check(packet, BrowserCapture.PasswordBytes, out _));
    }

    [Fact]
    public void Check_ReportsIntegrityMismatchForAFlippedByteWhenTheFingerprintIsRedoneToMatch()
    {
        // Someone who rewrites a byte and recomputes the (unkeyed) FINGERPRINT still fails MESSAGE-INTEGRITY.
        byte[] packet = BrowserCapture.NominatingBindingRequest;
        packet[^20] ^= 0x01;
        packet[31] ^= 0x01; // a byte of USERNAME's padding: covered by the HMAC too
        Assert.True(StunFingerprint.TryAppend(packet, packet.Length - 8, out _));

        Assert.Equal(StunCheckResult.IntegrityMismatch, StunBindingCheck.Check(packet, BrowserCapture.PasswordBytes, out _));
    }

    [Fact]
    public void Check_AcceptsARequestWithoutFingerprint()
    {
        byte[] packet = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .AddUInt32(StunAttributeType.Priority, 5)
            .AddIntegrity(Rfc5769.PasswordBytes)
            .ToArray();

        Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out StunBindingRequest request));
        Assert.Equal(StunIceRole.None, request.Role);
    }

    [Fact]
    public void Check_ReportsNotStunAndMalformed()
    {
        Assert.Equal(StunCheckResult.NotStun, StunBindingCheck.Check(new byte[12], Rfc5769.PasswordBytes, out _));
        Assert.Equal(StunCheckResult.NotStun, StunBindingCheck.Check([0x80, .. new byte[30]], Rfc5769.PasswordBytes, out _));
        byte[] packet = Rfc5769.SampleRequest;
        packet[3] ^= 4;
        Assert.Equal(StunCheckResult.Malformed, StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out _));
    }

    [Theory]
    [InlineData("2.2")]
    [InlineData("2.3")]
    public void Check_ReportsNotBindingRequestForResponses(string vector)
    {
        Assert.Equal(StunCheckResult.NotBindingRequest, StunBindingCheck.Check(Rfc5769.Vector(vector), Rfc5769.PasswordBytes, out _));
    }

    [Fact]
    public void Check_ReportsNotBindingRequestForAnotherMethod()
    {
        byte[] packet = new StunTestMessage(0x0003).AddFingerprint().ToArray();

        Assert.Equal(StunCheckResult.NotBindingRequest, StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out _));
    }

    [Fact]
    public void Check_ReportsMissingCredentials()
    {
        byte[] noIntegrity = new StunTestMessage().Add(StunAttributeType.Username, "a:b"u8.ToArray()).AddUInt32(StunAttributeType.Priority, 1).AddFingerprint().ToArray();
        byte[] noUsername = new StunTestMessage().AddUInt32(StunAttributeType.Priority, 1).AddIntegrity(Rfc5769.PasswordBytes).AddFingerprint().ToArray();
        byte[] usernameAfterIntegrity = new StunTestMessage()
            .AddUInt32(StunAttributeType.Priority, 1)
            .AddIntegrity(Rfc5769.PasswordBytes)
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .ToArray();

        Assert.Equal(StunCheckResult.MissingCredentials, StunBindingCheck.Check(noIntegrity, Rfc5769.PasswordBytes, out _));
        Assert.Equal(StunCheckResult.MissingCredentials, StunBindingCheck.Check(noUsername, Rfc5769.PasswordBytes, out _));
        Assert.Equal(StunCheckResult.MissingCredentials, StunBindingCheck.Check(usernameAfterIntegrity, Rfc5769.PasswordBytes, out _));
    }

    [Fact]
    public void Check_ReportsUnknownAttributesAfterAuthenticationAndExposesThemFor420()
    {
        byte[] packet = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .AddUInt32(StunAttributeType.Priority, 1)
            .Add(0x0042, 1, 2)
            .AddIntegrity(Rfc5769.PasswordBytes)
            .AddFingerprint()
            .ToArray();

        Assert.Equal(StunCheckResult.IntegrityMismatch, StunBindingCheck.Check(packet, "other"u8, out _));
        Assert.Equal(StunCheckResult.UnknownAttributes, StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out StunBindingRequest request));

        Span<StunAttributeType> unknown = stackalloc StunAttributeType[4];
        int count = request.Message.CopyUnknownComprehensionRequired(unknown);
        byte[] response = new byte[128];
        StunMessageWriter writer = StunMessageWriter.BindingErrorResponse(request.TransactionId, StunErrorCode.UnknownAttribute, Rfc5769.PasswordBytes, unknown.Slice(0, count));
        Assert.True(writer.TryWrite(response, out int written));
        Assert.True(StunMessageReader.TryRead(response.AsSpan(0, written), out StunMessageReader answer));
        Assert.True(answer.TryGetAttribute(StunAttributeType.UnknownAttributes, out ReadOnlySpan<byte> list));
        Assert.Equal(new byte[] { 0x00, 0x42 }, list.ToArray());
    }

    [Fact]
    public void Check_IgnoresAttributesAfterMessageIntegrity()
    {
        byte[] packet = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .AddUInt32(StunAttributeType.Priority, 9)
            .AddIntegrity(Rfc5769.PasswordBytes)
            .Add(0x0042, 1, 2)
            .Add(StunAttributeType.UseCandidate)
            .AddUInt64(StunAttributeType.IceControlled, 1)
            .AddFingerprint()
            .ToArray();

        Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out StunBindingRequest request));
        Assert.False(request.UseCandidate);
        Assert.Equal(StunIceRole.None, request.Role);
    }

    [Fact]
    public void Check_ReportsBadRequestWithoutPriorityOrWithBothRoles()
    {
        byte[] noPriority = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .AddIntegrity(Rfc5769.PasswordBytes)
            .ToArray();
        byte[] bothRoles = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .AddUInt32(StunAttributeType.Priority, 1)
            .AddUInt64(StunAttributeType.IceControlling, 1)
            .AddUInt64(StunAttributeType.IceControlled, 2)
            .AddIntegrity(Rfc5769.PasswordBytes)
            .ToArray();

        Assert.Equal(StunCheckResult.BadRequest, StunBindingCheck.Check(noPriority, Rfc5769.PasswordBytes, out _));
        Assert.Equal(StunCheckResult.BadRequest, StunBindingCheck.Check(bothRoles, Rfc5769.PasswordBytes, out _));
    }

    [Fact]
    public void Check_OfAMessageAlreadyReadLetsTheCallerPickTheKeyByUsername()
    {
        byte[] packet = BrowserCapture.NominatingBindingRequest;
        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));
        Assert.True(message.Username.StartsWith("p9KA:"u8));

        Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(message, BrowserCapture.PasswordBytes, out StunBindingRequest request));
        Assert.True(request.UseCandidate);
    }

    [Fact]
    public void TrySplitUsername_ReturnsFalseWithoutAColon()
    {
        byte[] packet = new StunTestMessage().Add(StunAttributeType.Username, "nocolon"u8.ToArray()).ToArray();
        StunBindingCheck.Check(packet, Rfc5769.PasswordBytes, out StunBindingRequest request);

        Assert.False(request.TrySplitUsername(out _, out _));
    }

    [Fact]
    public void Check_AllocatesNothing()
    {
        byte[] browser = BrowserCapture.NominatingBindingRequest;
        byte[] browserKey = BrowserCapture.PasswordBytes;
        byte[] sample = Rfc5769.SampleRequest;
        byte[] sampleKey = Rfc5769.PasswordBytes;
        ulong sink = 0;

        long allocated = Allocations.Measure(() =>
        {
            if (StunBindingCheck.Check(browser, browserKey, out StunBindingRequest request) == StunCheckResult.Ok)
            {
                sink += request.Priority + request.TieBreaker + (uint)request.Username.Length + (request.UseCandidate ? 1u : 0u);
            }

            if (StunBindingCheck.Check(sample, sampleKey, out request) == StunCheckResult.Ok)
            {
                sink += request.Priority;
            }

            StunBindingCheck.Check(browser, sampleKey, out _);
        });

        Assert.Equal(0, allocated);
        Assert.NotEqual(0UL, sink);
    }

    [Fact]
    public void AnsweringACheck_AllocatesNothing()
    {
        byte[] browser = BrowserCapture.NominatingBindingRequest;
        byte[] key = BrowserCapture.PasswordBytes;
        var from = new StunTransportAddress([198, 51, 100, 9], 50000);
        var response = new byte[256];

        long allocated = Allocations.Measure(() =>
        {
            if (StunBindingCheck.Check(browser, key, out StunBindingRequest request) == StunCheckResult.Ok)
            {
                StunMessageWriter.BindingSuccessResponse(request.TransactionId, from, key).TryWrite(response, out _);
            }
        });

        Assert.Equal(0, allocated);
    }
}
