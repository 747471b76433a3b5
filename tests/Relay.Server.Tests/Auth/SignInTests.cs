using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Control.Audit;
using Relay.Control.Users;
using Relay.Server.Auth;

namespace Relay.Server.Tests.Auth;

public sealed class SignInTests : IAsyncLifetime
{
    private const string AdminPassword = "sturdy lantern orchard river";
    private const string Password = "correct horse battery";

    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    private IUserDirectory Users => Relay.Services.GetRequiredService<IUserDirectory>();

    public async Task InitializeAsync() => _relay = await TestRelay.StartAsync(
        static app => app.MapGet("/test/page", static () => "the page").RequireRole(RelayRoles.Officer),
        "--RELAY_ADMIN_USER=admin",
        "--RELAY_ADMIN_PASSWORD=" + AdminPassword,
        "--Relay:Users:MaxFailedSignIns=3");

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task Login_SetsAnHttpOnlyStrictCookie_AndMeNamesTheUserAndRoles()
    {
        await Users.CreateAsync("pc1234", "PC 1234 Jones", [UserRoles.Officer], Password, "admin");
        using Browser browser = new(Relay);

        HttpResponseMessage response = await browser.LoginAsync("pc1234", Password);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        string cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(RelayAuthentication.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        JsonElement me = await browser.Client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("pc1234", me.GetProperty("name").GetString());
        Assert.Equal("PC 1234 Jones", me.GetProperty("displayName").GetString());
        Assert.Equal(["officer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("cookie", me.GetProperty("via").GetString());
    }

    [Fact]
    public async Task Login_GivesTheSameProblemForAnUnknownUserAndAWrongPassword()
    {
        using Browser browser = new(Relay);

        JsonElement unknown = await ProblemAssert.IsProblemAsync(await browser.LoginAsync("nobody", Password), HttpStatusCode.Unauthorized, "user name or password is not right");
        JsonElement wrong = await ProblemAssert.IsProblemAsync(await browser.LoginAsync("admin", "not the admin password"), HttpStatusCode.Unauthorized);

        Assert.Equal(unknown.GetProperty("detail").GetString(), wrong.GetProperty("detail").GetString());
        Assert.Equal(unknown.GetProperty("title").GetString(), wrong.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Login_AfterRepeatedFailures_SaysTheAccountIsLockedAndWhenItEnds()
    {
        await Users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");
        using Browser browser = new(Relay);
        for (int i = 0; i < 2; i++)
        {
            await ProblemAssert.IsProblemAsync(await browser.LoginAsync("pc1234", "wrong password " + i), HttpStatusCode.Unauthorized, "not right");
        }

        HttpResponseMessage third = await browser.LoginAsync("pc1234", "wrong password 2");
        HttpResponseMessage right = await browser.LoginAsync("pc1234", Password);

        await ProblemAssert.IsProblemAsync(third, HttpStatusCode.Unauthorized, "locked");
        JsonElement problem = await ProblemAssert.IsProblemAsync(right, HttpStatusCode.Unauthorized, "locked after repeated failed sign-ins until");
        Assert.Contains(" UTC", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        IAuditLog audit = Relay.Services.GetRequiredService<IAuditLog>();
        Assert.Single(await audit.QueryAsync(new AuditQuery { Action = AuditActions.Lockout, Subject = "pc1234" }));
    }

    [Fact]
    public async Task Login_RefusesAnythingButJson()
    {
        using Browser browser = new(Relay);

        HttpResponseMessage response = await browser.Client.PostAsync(new Uri("/api/login", UriKind.Relative), new FormUrlEncodedContent([new("username", "admin"), new("password", AdminPassword)]));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task TheFirstAdministratorFromTheEnvironmentSignsIn_AndIsAudited()
    {
        using Browser browser = new(Relay);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.LoginAsync("admin", AdminPassword)).StatusCode);

        RelayUser admin = (await Users.FindAsync("admin"))!;
        Assert.Equal([UserRoles.Engineer, UserRoles.Supervisor], admin.Roles);
        IAuditLog audit = Relay.Services.GetRequiredService<IAuditLog>();
        Assert.Equal([AuditActions.UserCreated, AuditActions.SignIn], (await audit.QueryAsync(new AuditQuery())).Select(r => r.Action));
    }

    [Fact]
    public async Task Sessions_AcceptASignedInOfficerAndSupervisor_AndRefuseAnEngineerNamingTheRole()
    {
        await Users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "admin");
        await Users.CreateAsync("sgt1", "Sgt 1", [UserRoles.Supervisor], Password, "admin");
        await Users.CreateAsync("eng1", "Engineer 1", [UserRoles.Engineer], Password, "admin");

        foreach (string officer in new[] { "pc1", "sgt1" })
        {
            using Browser browser = new(Relay);
            await browser.LoginAsync(officer, Password);
            Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(new Uri("/api/sessions", UriKind.Relative))).StatusCode);
        }

        using Browser engineer = new(Relay);
        await engineer.LoginAsync("eng1", Password);
        HttpResponseMessage refused = await engineer.Client.GetAsync(new Uri("/api/sessions", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden, "needs the role officer or supervisor");
    }

    [Fact]
    public async Task ASessionCreatedBySomeoneSignedIn_RecordsTheirName()
    {
        await Users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "admin");
        using Browser browser = new(Relay);
        await browser.LoginAsync("pc1", Password);

        HttpResponseMessage created = await browser.Client.PostAsJsonAsync("/api/sessions", new { incident = "INC-1", phone = "+447700900123", mode = "video", retention = "mopi-group-3" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        JsonElement session = await browser.Client.GetFromJsonAsync<JsonElement>("/api/sessions/" + id);
        Assert.Equal("pc1", session.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task ARoleChangeEndsTheSignInsMadeBeforeIt()
    {
        await Users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "admin");
        using Browser browser = new(Relay);
        await browser.LoginAsync("pc1", Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(new Uri("/api/sessions", UriKind.Relative))).StatusCode);

        await Users.SetRolesAsync("pc1", [UserRoles.Engineer], "admin");

        await ProblemAssert.IsProblemAsync(await browser.Client.GetAsync(new Uri("/api/sessions", UriKind.Relative)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ADisabledUsersSignInStopsWorking()
    {
        await Users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "admin");
        using Browser browser = new(Relay);
        await browser.LoginAsync("pc1", Password);

        await Users.SetDisabledAsync("pc1", disabled: true, "admin");

        await ProblemAssert.IsProblemAsync(await browser.Client.GetAsync(new Uri("/api/me", UriKind.Relative)), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await browser.LoginAsync("pc1", Password), HttpStatusCode.Forbidden, "disabled");
    }

    [Fact]
    public async Task Logout_EndsTheSignIn_AndIsAudited()
    {
        using Browser browser = new(Relay);
        await browser.LoginAsync("admin", AdminPassword);

        HttpResponseMessage response = await browser.Client.PostAsync(new Uri("/api/logout", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await ProblemAssert.IsProblemAsync(await browser.Client.GetAsync(new Uri("/api/me", UriKind.Relative)), HttpStatusCode.Unauthorized);
        IAuditLog audit = Relay.Services.GetRequiredService<IAuditLog>();
        Assert.Single(await audit.QueryAsync(new AuditQuery { Action = AuditActions.SignOut, Actor = "admin" }));
    }

    [Fact]
    public async Task APage_RedirectsABrowserToLoginWithTheReturnUrl_AndOpensAfterSigningIn()
    {
        await Users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "admin");
        using Browser browser = new(Relay);

        HttpResponseMessage redirected = await browser.Client.GetAsync(new Uri("/test/page?x=1", UriKind.Relative));
        await browser.LoginAsync("pc1", Password);
        HttpResponseMessage page = await browser.Client.GetAsync(new Uri("/test/page?x=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/login?returnUrl=%2Ftest%2Fpage%3Fx%3D1", redirected.Headers.Location!.OriginalString);
        Assert.Equal("the page", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiPaths_GetAProblemNotARedirect()
    {
        HttpResponseMessage response = await Relay.Http.GetAsync(new Uri("/api/me", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization: Bearer");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task TheLoginPage_HasALabelledFormThatPostsToTheApi()
    {
        HttpResponseMessage response = await Relay.Http.GetAsync(new Uri("/login?returnUrl=%2Fplayer%2Fabc", UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"username\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", html, StringComparison.Ordinal);
        Assert.Contains("'/api/login'", html, StringComparison.Ordinal);
        Assert.Contains("data-return=\"/player/abc\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData(null, "/")]
    [InlineData("/player/abc?x=1", "/player/abc?x=1")]
    public void TheLoginPage_ReturnsOnlyToAPathOnThisSite(string? returnUrl, string expected) =>
        Assert.Equal(expected, LoginPage.SafeReturnUrl(returnUrl));

    [Fact]
    public async Task ApiKeys_StillWork_AndAnOperatorKeyIsAnEngineer()
    {
        using HttpClient client = Relay.CreateClient(TestRelay.OperatorKey);

        JsonElement me = await client.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal("prometheus", me.GetProperty("name").GetString());
        Assert.Equal(["engineer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("api-key", me.GetProperty("via").GetString());
    }

    [Fact]
    public async Task AWrongKeyIsRefused_EvenWithAValidCookie()
    {
        using Browser browser = new(Relay);
        await browser.LoginAsync("admin", AdminPassword);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-key-at-all-0123456789");

        HttpResponseMessage response = await browser.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "not recognised");
    }

    /// <summary>A client that keeps cookies and does not follow redirects, as a test can watch them.</summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClientHandler _handler = new() { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };

        public Browser(TestRelay relay)
        {
            Client = new HttpClient(_handler) { BaseAddress = relay.BaseAddress };
        }

        public HttpClient Client { get; }

        public Task<HttpResponseMessage> LoginAsync(string username, string password) =>
            Client.PostAsJsonAsync("/api/login", new { username, password });

        public void Dispose()
        {
            Client.Dispose();
            _handler.Dispose();
        }
    }
}
