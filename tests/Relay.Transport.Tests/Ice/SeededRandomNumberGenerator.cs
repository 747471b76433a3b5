using System.Security.Cryptography;

namespace Relay.Transport.Tests.Ice;

/// <summary>A repeatable stand-in for the cryptographic source, so generated credentials and transaction ids are the same every run.</summary>
internal sealed class SeededRandomNumberGenerator(int seed) : RandomNumberGenerator
{
    private readonly Random _random = new(seed);

    public override void GetBytes(byte[] data) => _random.NextBytes(data);

    public override void GetBytes(Span<byte> data) => _random.NextBytes(data);

    public override void GetBytes(byte[] data, int offset, int count) => _random.NextBytes(data.AsSpan(offset, count));

    public override void GetNonZeroBytes(byte[] data) => throw new NotSupportedException();
}
