using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Relay.Server.Tests.Player;

public sealed class SnapshotEndpointsTests : IAsyncLifetime
{
    private static readonly byte[] s_jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0xFF, 0xD9];

    private readonly string _data = Directory.CreateTempSubdirectory("relay-snapshots-").FullName;
    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    public async Task InitializeAsync() => _relay = await TestRelay.StartAsync("--Relay:DataDirectory=" + _data);

    public async Task DisposeAsync()
    {
        await Relay.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<string> CreateAsync()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-3", phone = "+447700900123", mode = "video", retention = "mopi-group-3" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static ByteArrayContent Jpeg(byte[] bytes, string type = "image/jpeg")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    [Fact]
    public async Task AnOfficersSnapshotIsStoredUnderTheDataDirectoryWithItsHash()
    {
        string id = await CreateAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsync(new Uri($"/api/sessions/{id}/snapshots", UriKind.Relative), Jpeg(s_jpeg));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement saved = await response.Content.ReadFromJsonAsync<JsonElement>();
        string hash = Convert.ToHexStringLower(SHA256.HashData(s_jpeg));
        Assert.Equal(hash, saved.GetProperty("sha256").GetString());
        Assert.Equal("cad", saved.GetProperty("takenBy").GetString());
        string file = Path.Combine(_data, "snapshots", id, saved.GetProperty("name").GetString()!);
        Assert.Equal(s_jpeg, await File.ReadAllBytesAsync(file));
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "snapshots", id), "*.partial"));
    }

    [Fact]
    public async Task RefusesWhatIsNotAnOfficersWholeJpeg()
    {
        string id = await CreateAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        var uri = new Uri($"/api/sessions/{id}/snapshots", UriKind.Relative);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Relay.Http.PostAsync(uri, Jpeg(s_jpeg))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await officer.PostAsync(uri, Jpeg(s_jpeg, "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsync(uri, Jpeg(s_jpeg[..^1]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsync(uri, Jpeg([]))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await officer.PostAsync(uri, Jpeg(new byte[(8 * 1024 * 1024) + 1]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsync(new Uri("/api/sessions/nosuch/snapshots", UriKind.Relative), Jpeg(s_jpeg))).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_data, "snapshots", id)));
    }
}
