using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>Certificates shared by the tests: generating one per test would only slow them down.</summary>
internal static class TestCertificates
{
    public static DtlsCertificate Server { get; } = DtlsCertificate.Generate("relay");

    public static DtlsCertificate Client { get; } = DtlsCertificate.Generate("caller");

    public static DtlsCertificate Other { get; } = DtlsCertificate.Generate("someone-else");
}
