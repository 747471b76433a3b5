using System.Text;
using BenchmarkDotNet.Attributes;
using Relay.Protocols.Stun;

namespace Relay.Bench.Stun;

/// <summary>
/// What ICE-lite does per connectivity check: check a browser's Binding request (USERNAME,
/// GOOG-NETWORK-INFO, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT) and
/// write the success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT).
/// </summary>
public class StunBenchmarks
{
    private byte[] _request = [];
    private byte[] _key = [];
    private byte[] _transactionId = [];
    private byte[] _response = [];
    private StunTransportAddress _mapped;

    [GlobalSetup]
    public void Setup()
    {
        // A Chromium connectivity check as published in str0m's STUN tests, with its password.
        _request = Convert.FromHexString(
            "000100502112a4426a756331357578556e674763" +
            "0006000970394b413a53514174000000" +
            "c05700040001000a" +
            "802a00086eeec6e97d18395c" +
            "00250000" +
            "002400046e7f1eff" +
            "000800145d0425a0207ab1e054102299aaf9839ca076c6d5" +
            "80280004360e219f");
        _key = Encoding.UTF8.GetBytes("xJcE9AQAR7kczUDVOXRUCl");
        _transactionId = _request.AsSpan(8, 12).ToArray();
        _response = new byte[1500];
        _mapped = new StunTransportAddress([198, 51, 100, 9], 50000);

        if (CheckBindingRequest() != StunCheckResult.Ok || WriteBindingSuccessResponse() != 64)
        {
            throw new InvalidOperationException("The benchmark's request does not check or the response is not the expected size.");
        }
    }

    /// <summary>Read, FINGERPRINT, MESSAGE-INTEGRITY (HMAC-SHA1), the ICE attributes.</summary>
    [Benchmark]
    public StunCheckResult CheckBindingRequest() => StunBindingCheck.Check(_request, _key, out _);

    /// <summary>The header and attribute walk alone, to see what the hashing costs by difference.</summary>
    [Benchmark]
    public uint ReadBindingRequest() => StunMessageReader.TryRead(_request, out StunMessageReader message) ? message.Priority : 0;

    [Benchmark]
    public int WriteBindingSuccessResponse()
    {
        StunMessageWriter.BindingSuccessResponse(_transactionId, _mapped, _key).TryWrite(_response, out int written);
        return written;
    }
}
