using Relay.Control.Sdp;

namespace Relay.Control.Tests.Sdp;

public class SdpAttributeReaderTests
{
    [Theory]
    [InlineData("111 opus/48000/2", 111, "opus", 48000, 2)]
    [InlineData("96 VP8/90000", 96, "VP8", 90000, null)]
    [InlineData("0 PCMU/8000", 0, "PCMU", 8000, null)]
    [InlineData("9 G722/8000/1", 9, "G722", 8000, 1)]
    public void RtpMap_ReadsPayloadTypeNameClockAndChannels(string value, int pt, string name, int clock, int? channels)
    {
        Assert.True(SdpRtpMap.TryParse(value, out SdpRtpMap? map));
        Assert.Equal(new SdpRtpMap(pt, name, clock, channels), map);
        Assert.Equal(value, map.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("128 VP8/90000")]
    [InlineData("x VP8/90000")]
    [InlineData("96 VP8")]
    [InlineData("96 /90000")]
    [InlineData("96 VP8/0")]
    [InlineData("96 VP8/90000/0")]
    [InlineData("96 VP8/90000/")]
    [InlineData("96  VP8/90000")]
    [InlineData("96 VP8/90000 extra")]
    [InlineData("96 VP8/99999999999")]
    public void RtpMap_RefusesMalformedValues(string? value)
    {
        Assert.False(SdpRtpMap.TryParse(value, out _));
    }

    [Fact]
    public void FormatParameters_FindsParametersWithoutCaseAndAroundSpaces()
    {
        Assert.True(SdpFormatParameters.TryParse("106 level-asymmetry-allowed=1; Packetization-Mode=1;profile-level-id=42e01f", out SdpFormatParameters? fmtp));

        Assert.Equal(106, fmtp.PayloadType);
        Assert.True(fmtp.TryGetParameter("packetization-mode", out string? mode));
        Assert.Equal("1", mode);
        Assert.True(fmtp.TryGetParameter("PROFILE-LEVEL-ID", out string? profile));
        Assert.Equal("42e01f", profile);
        Assert.False(fmtp.TryGetParameter("apt", out _));
        Assert.Equal("106 level-asymmetry-allowed=1; Packetization-Mode=1;profile-level-id=42e01f", fmtp.ToString());
    }

    [Fact]
    public void FormatParameters_KeepsFreeTextAndKeysWithoutValues()
    {
        Assert.True(SdpFormatParameters.TryParse("101 0-15", out SdpFormatParameters? fmtp));
        Assert.True(fmtp.TryGetParameter("0-15", out string? value));
        Assert.Equal(string.Empty, value);
        Assert.True(SdpFormatParameters.TryParse("63 111/111", out fmtp));
        Assert.Equal("111/111", fmtp.Parameters);
    }

    [Theory]
    [InlineData("96")]
    [InlineData("96 ")]
    [InlineData("200 apt=96")]
    [InlineData("x apt=96")]
    public void FormatParameters_RefusesMalformedValues(string value)
    {
        Assert.False(SdpFormatParameters.TryParse(value, out _));
    }

    [Theory]
    [InlineData("96 nack", 96, "nack", null)]
    [InlineData("96 nack pli", 96, "nack", "pli")]
    [InlineData("96 ccm fir", 96, "ccm", "fir")]
    [InlineData("* transport-cc", null, "transport-cc", null)]
    [InlineData("100 ccm tmmbr smaxpr=120", 100, "ccm", "tmmbr smaxpr=120")]
    public void RtcpFeedback_ReadsPayloadTypeTypeAndParameter(string value, int? pt, string type, string? parameter)
    {
        Assert.True(SdpRtcpFeedback.TryParse(value, out SdpRtcpFeedback? feedback));
        Assert.Equal(new SdpRtcpFeedback(pt, type, parameter), feedback);
        Assert.Equal(value, feedback.ToString());
    }

    [Theory]
    [InlineData("96")]
    [InlineData("x nack")]
    [InlineData("96 nack ")]
    [InlineData("96  nack")]
    public void RtcpFeedback_RefusesMalformedValues(string value)
    {
        Assert.False(SdpRtcpFeedback.TryParse(value, out _));
    }

    [Theory]
    [InlineData("3 urn:ietf:params:rtp-hdrext:sdes:mid", 3, "urn:ietf:params:rtp-hdrext:sdes:mid", null, null)]
    [InlineData("6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", 6, "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", "recvonly", null)]
    [InlineData("200 urn:example:ext with attributes", 200, "urn:example:ext", null, "with attributes")]
    public void ExtensionMap_ReadsIdDirectionUriAndAttributes(string value, int id, string uri, string? direction, string? attributes)
    {
        Assert.True(SdpExtensionMap.TryParse(value, out SdpExtensionMap? map));
        Assert.Equal(new SdpExtensionMap(id, uri, direction, attributes), map);
        Assert.Equal(value, map.ToString());
    }

    [Theory]
    [InlineData("0 urn:x")]
    [InlineData("256 urn:x")]
    [InlineData("3/sideways urn:x")]
    [InlineData("3")]
    [InlineData("three urn:x")]
    public void ExtensionMap_RefusesMalformedValues(string value)
    {
        Assert.False(SdpExtensionMap.TryParse(value, out _));
    }

    [Fact]
    public void Fingerprint_ReadsSha256InEitherCaseAndWritesUppercase()
    {
        byte[] hash = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();
        string upper = "sha-256 " + string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.True(SdpFingerprint.TryParse(upper.ToLowerInvariant(), out SdpFingerprint? fingerprint));

        Assert.Equal("sha-256", fingerprint.HashFunction);
        Assert.Equal(hash, fingerprint.Value.ToArray());
        Assert.Equal(upper, fingerprint.ToString());
    }

    [Fact]
    public void Fingerprint_ReadsOtherHashesAtTheirLength()
    {
        string sha1 = "SHA-1 " + string.Join(':', Enumerable.Repeat("0A", 20));
        string unknown = "blake3 " + string.Join(':', Enumerable.Repeat("0A", 5));

        Assert.True(SdpFingerprint.TryParse(sha1, out SdpFingerprint? fingerprint));
        Assert.Equal("sha-1", fingerprint.HashFunction);
        Assert.True(SdpFingerprint.TryParse(unknown, out fingerprint));
        Assert.Equal(5, fingerprint.Value.Length);
    }

    public static TheoryData<string> MalformedFingerprints() => new()
    {
        "sha-256",
        "sha-256 ",
        "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 31)),
        "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 33)),
        "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 31)) + ":G0",
        "sha-256 " + string.Join('-', Enumerable.Repeat("AB", 32)),
        "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)) + ":",
        "sha-256 " + string.Concat(Enumerable.Repeat("AB", 32)),
        "x " + string.Join(':', Enumerable.Repeat("AB", 65)),
    };

    [Theory]
    [MemberData(nameof(MalformedFingerprints))]
    public void Fingerprint_RefusesMalformedValues(string value)
    {
        Assert.False(SdpFingerprint.TryParse(value, out _));
    }

    [Theory]
    [InlineData("2743567901 cname:ZT0x6b1v9C+7e/Qm", 2743567901u, "cname", "ZT0x6b1v9C+7e/Qm")]
    [InlineData("1 msid:stream track", 1u, "msid", "stream track")]
    [InlineData("4294967295 mslabel", 4294967295u, "mslabel", null)]
    public void Ssrc_ReadsSsrcAttributeAndValue(string value, uint ssrc, string name, string? attributeValue)
    {
        Assert.True(SdpSsrc.TryParse(value, out SdpSsrc? source));
        Assert.Equal(new SdpSsrc(ssrc, name, attributeValue), source);
        Assert.Equal(value, source.ToString());
    }

    [Theory]
    [InlineData("4294967296 cname:x")]
    [InlineData("x cname:x")]
    [InlineData("1")]
    [InlineData("1 :x")]
    public void Ssrc_RefusesMalformedValues(string value)
    {
        Assert.False(SdpSsrc.TryParse(value, out _));
    }

    [Fact]
    public void SsrcGroupAndGroup_ReadTheirLists()
    {
        Assert.True(SdpSsrcGroup.TryParse("FID 2743567901 3391862337", out SdpSsrcGroup? fid));
        Assert.Equal("FID", fid.Semantics);
        Assert.Equal([2743567901u, 3391862337u], fid.Ssrcs);
        Assert.Equal("FID 2743567901 3391862337", fid.ToString());

        Assert.True(SdpGroup.TryParse("BUNDLE 0 1 video0", out SdpGroup? bundle));
        Assert.Equal(["0", "1", "video0"], bundle.Mids);
        Assert.Equal("BUNDLE 0 1 video0", bundle.ToString());
        Assert.True(SdpGroup.TryParse("BUNDLE", out bundle));
        Assert.Empty(bundle.Mids);

        Assert.False(SdpSsrcGroup.TryParse("FID 1 x", out _));
        Assert.False(SdpGroup.TryParse("BUNDLE 0  1", out _));
        Assert.False(SdpGroup.TryParse("BUNDLE 0 1 ", out _));
    }

    [Fact]
    public void Msid_ReadsStreamAndTrackAndToleratesGStreamerIds()
    {
        Assert.True(SdpMsid.TryParse("- 9d2a6f10", out SdpMsid? msid));
        Assert.Equal(new SdpMsid("-", "9d2a6f10"), msid);
        Assert.True(SdpMsid.TryParse("user1745230871@host-6a1f0c2e webrtctransceiver0", out msid));
        Assert.Equal("user1745230871@host-6a1f0c2e", msid.StreamId);
        Assert.True(SdpMsid.TryParse("only-stream", out msid));
        Assert.Null(msid.TrackId);

        Assert.False(SdpMsid.TryParse("a b c", out _));
        Assert.False(SdpMsid.TryParse(new string('a', 65), out _));
        Assert.False(SdpMsid.IsId("user@host"));
        Assert.True(SdpMsid.IsId("{5d1c9a7e-2b40}"));
    }

    [Fact]
    public void Candidate_ReadsTheFieldsAndKeepsExtensions()
    {
        const string value = "1560499547 1 udp 2113937151 2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local 33192 typ host generation 0 network-cost 999";

        Assert.True(SdpCandidate.TryParse(value, out SdpCandidate? candidate));

        Assert.Equal(
            new SdpCandidate("1560499547", 1, "udp", 2113937151, "2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local", 33192, "host", "generation 0 network-cost 999"),
            candidate);
        Assert.Equal(value, candidate.ToString());
        Assert.Equal("1 1 udp 2130706431 203.0.113.10 40000 typ host", new SdpCandidate("1", 1, "udp", 2130706431, "203.0.113.10", 40000, "host").ToString());
    }

    [Theory]
    [InlineData("1 1 udp 2130706431 203.0.113.10 40000 host")]
    [InlineData("1 1 udp 2130706431 203.0.113.10 40000 typ")]
    [InlineData("1 0 udp 2130706431 203.0.113.10 40000 typ host")]
    [InlineData("1 1 udp 4294967296 203.0.113.10 40000 typ host")]
    [InlineData("1 1 udp 2130706431 203.0.113.10 65536 typ host")]
    public void Candidate_RefusesMalformedValues(string value)
    {
        Assert.False(SdpCandidate.TryParse(value, out _));
    }
}
