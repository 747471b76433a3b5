using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Control.Audit;
using Relay.Control.Users;
using Relay.Server.Auth;
using Relay.Testing.Time;

namespace Relay.Server.Tests.Auth;

/// <summary>The per-address limit on failed sign-ins, beside the per-account lockout.</summary>
public sealed class SignInAddressLimitTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    // Accounts lock only after 100 failures here, so what stops the guesser is the address limit of 3.
    public async Task InitializeAsync() => _relay = await TestRelay.StartAsync(
        "--Relay:Users:MaxFailedSignIns=100",
        "--Relay:Auth:FailedSignInsPerAddress=3",
        "--Relay:Auth:FailedSignInWindow=00:10:00");

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task Login_FromAnAddressTryingManyUserNames_IsRefusedWith429AndRetryAfter_EvenWithTheRightPassword_AndAudited()
    {
        await Relay.Services.GetRequiredService<IUserDirectory>().CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "test");
        using var client = new HttpClient { BaseAddress = Relay.BaseAddress };
        foreach (string name in (string[])["alice", "bob", "carol"])
        {
            HttpResponseMessage failed = await client.PostAsJsonAsync("/api/login", new { username = name, password = "guess" });
            await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.Unauthorized, "not right");
        }

        HttpResponseMessage refused = await client.PostAsJsonAsync("/api/login", new { username = "pc1234", password = Password });

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "too many failed sign-ins from this address");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        IAuditLog audit = Relay.Services.GetRequiredService<IAuditLog>();
        AuditRecord entry = Assert.Single(await audit.QueryAsync(new AuditQuery { Action = AuditActions.Lockout }));
        Assert.Equal("address:127.0.0.1", entry.Subject);
        Assert.Equal("address", entry.Details["scope"]);
        Assert.Null((await Relay.Services.GetRequiredService<IUserDirectory>().FindAsync("pc1234"))!.LockedUntil);
    }

    [Fact]
    public async Task Login_ThatSucceeds_DoesNotCountAgainstTheAddress()
    {
        await Relay.Services.GetRequiredService<IUserDirectory>().CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "test");
        using var client = new HttpClient { BaseAddress = Relay.BaseAddress };
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/login", new { username = "pc1234", password = Password })).StatusCode);
        }

        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/login", new { username = "pc1234", password = "wrong" }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void TheLimiter_FreesAnAttemptWhenTheOldestFailureLeavesTheWindow_AndCountsIPv6By64()
    {
        var time = new ManualTimeProvider();
        var limiter = new SignInAddressLimiter(Options.Create(new SignInOptions { FailedSignInsPerAddress = 2, FailedSignInWindow = TimeSpan.FromMinutes(10) }), time);
        string first = SignInAddressLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2::1"));
        string neighbour = SignInAddressLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2:ffff::9"));
        Assert.Equal(first, neighbour);

        Assert.False(limiter.RecordFailure(first, out _));
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(limiter.RecordFailure(neighbour, out TimeSpan wait));
        Assert.Equal(TimeSpan.FromMinutes(6), wait);
        Assert.False(limiter.IsLimited(SignInAddressLimiter.ClientKey(IPAddress.Parse("192.0.2.7")), out _));

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(limiter.IsLimited(first, out _));
    }
}
