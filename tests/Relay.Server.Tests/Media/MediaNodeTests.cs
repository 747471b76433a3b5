using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Server.Media;

namespace Relay.Server.Tests.Media;

public sealed class MediaNodeTests
{
    [Fact]
    public async Task Start_BindsAnyFreePortForZero_AndAnnouncesTheBoundPort()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        MediaNode node = relay.Services.GetRequiredService<MediaNode>();

        int port = node.Socket!.LocalEndPoint.Port;

        Assert.NotEqual(0, port);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, port)], node.Candidates);
        Assert.NotNull(node.Certificate);
        Assert.True(node.IsRunning);
    }

    [Fact]
    public async Task Start_AnnouncesConfiguredPublicAddresses()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:Media:PublicAddresses:0=203.0.113.7", "--Relay:Media:PublicAddresses:1=127.0.0.1");
        MediaNode node = relay.Services.GetRequiredService<MediaNode>();
        int port = node.Socket!.LocalEndPoint.Port;

        Assert.Equal([new IPEndPoint(IPAddress.Parse("203.0.113.7"), port), new IPEndPoint(IPAddress.Loopback, port)], node.Candidates);
    }

    [Fact]
    public void Candidates_WhenBoundToAllAddresses_AreTheMachinesIPv4AddressesAndLoopback()
    {
        IReadOnlyList<IPEndPoint> candidates = MediaNode.ChooseCandidates(new MediaNodeOptions(), new IPEndPoint(IPAddress.Any, 40000));

        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 40000), candidates);
        Assert.All(candidates, c => Assert.Equal(40000, c.Port));
        Assert.All(candidates, c => Assert.NotEqual(IPAddress.Any, c.Address));
        Assert.All(candidates, c => Assert.Equal(AddressFamily.InterNetwork, c.Address.AddressFamily));
    }

    [Theory]
    [InlineData("--Relay:Media:Port=70000", "Relay:Media:Port is 70000")]
    [InlineData("--Relay:Media:BindAddress=example.org", "Relay:Media:BindAddress 'example.org' is not an IP address")]
    [InlineData("--Relay:Media:PublicAddresses:0=0.0.0.0", "which no peer can send to")]
    [InlineData("--Relay:Media:CertificatePath=/tmp/relay-cert.pem", "go together")]
    [InlineData("--Relay:Media:ViewerPacketLossForTesting=1.5", "ViewerPacketLossForTesting is 1.5")]
    public async Task Start_RefusesInvalidMediaSettings_NamingThem(string setting, string message)
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRelay.StartAsync(setting));

        Assert.Contains(e.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ExplainsAPortInUse()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestRelay.StartAsync($"--Relay:Media:Port={port}"));

        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("could not be bound", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LoadsTheConfiguredPemCertificate()
    {
        string directory = Directory.CreateTempSubdirectory("relay-cert").FullName;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            string certificatePath = Path.Combine(directory, "cert.pem");
            string keyPath = Path.Combine(directory, "key.pem");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            await using TestRelay relay = await TestRelay.StartAsync($"--Relay:Media:CertificatePath={certificatePath}", $"--Relay:Media:PrivateKeyPath={keyPath}");

            Assert.True(relay.Services.GetRequiredService<MediaNode>().Certificate!.RawData.SequenceEqual(certificate.RawData));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
