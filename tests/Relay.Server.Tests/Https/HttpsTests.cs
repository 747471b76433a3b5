using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Relay.Server.Tests.Https;

public sealed class HttpsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("relay-https-").FullName;
    private readonly X509Certificate2 _certificate;

    public HttpsTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=relay.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertPath, _certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(PfxPath, _certificate.Export(X509ContentType.Pkcs12, "secret"));
    }

    private string CertPath => Path.Combine(_folder, "relay.crt");

    private string KeyPath => Path.Combine(_folder, "relay.key");

    private string PfxPath => Path.Combine(_folder, "relay.pfx");

    [Fact]
    public async Task ServesHttpsWithPemFiles()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--urls=https://127.0.0.1:0", "--Relay:Https:CertificatePath=" + CertPath, "--Relay:Https:KeyPath=" + KeyPath);

        Assert.Equal(_certificate.Thumbprint, await HealthzThumbprintAsync(relay.BaseAddress));
    }

    [Fact]
    public async Task ServesHttpsWithAPfx()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--urls=https://127.0.0.1:0", "--Relay:Https:PfxPath=" + PfxPath, "--Relay:Https:PfxPassword=secret");

        Assert.Equal(_certificate.Thumbprint, await HealthzThumbprintAsync(relay.BaseAddress));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("no-key")]
    [InlineData("wrong-password")]
    [InlineData("both")]
    public void ABadCertificateSettingStopsTheRelayWithAMessage(string mistake)
    {
        string[] settings = mistake switch
        {
            "missing" => ["--Relay:Https:CertificatePath=" + Path.Combine(_folder, "nope.crt"), "--Relay:Https:KeyPath=" + KeyPath],
            "no-key" => ["--Relay:Https:CertificatePath=" + CertPath],
            "wrong-password" => ["--Relay:Https:PfxPath=" + PfxPath, "--Relay:Https:PfxPassword=wrong"],
            _ => ["--Relay:Https:CertificatePath=" + CertPath, "--Relay:Https:KeyPath=" + KeyPath, "--Relay:Https:PfxPath=" + PfxPath],
        };

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => Program.CreateApp([.. TestRelay.DefaultArgs, .. settings]));

        Assert.Contains("Relay:Https", error.Failures.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerLinksUseThePublicBaseUrl()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:PublicBaseUrl=https://relay.force.example");
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-1", phone = "+447700900123", mode = "video", retention = "mopi-group-3" });

        string link = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("link").GetString()!;
        Assert.StartsWith("https://relay.force.example/c/", link, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string?> HealthzThumbprintAsync(Uri address)
    {
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate?.Thumbprint;
                return true;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = address };
        HttpResponseMessage response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return seen;
    }
}
