using Relay.Control.Data;
using Relay.Control.Sessions;
using Relay.Control.Sms;
using Relay.Control.Tests.Sessions;

namespace Relay.Control.Tests.Sms;

public sealed class SmsSendingLimitsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SessionDatabase _database = new();
    private RelayDatabase _db = null!;

    public async Task InitializeAsync() => _db = await _database.OpenAsync();

    public async Task DisposeAsync() => await _database.DeleteAsync();

    [Fact]
    public async Task ThePerOfficerLimitRefusesTheNextSend_SayingWhenItFrees()
    {
        SmsSendingLimits limits = Limits(perOfficer: 2);
        Assert.Null(await limits.TryAddSessionAsync(Sent(s_now, createdBy: "cad", phone: "+447700900001")));
        Assert.Null(await limits.TryAddSessionAsync(Sent(s_now.AddMinutes(10), createdBy: "cad", phone: "+447700900002")));

        SmsLimitRefusal? refused = await limits.TryAddSessionAsync(Sent(s_now.AddMinutes(20), createdBy: "cad", phone: "+447700900003"));
        SmsLimitRefusal? otherOfficer = await limits.TryAddSessionAsync(Sent(s_now.AddMinutes(20), createdBy: "portal", phone: "+447700900004"));
        SmsLimitRefusal? afterWindow = await limits.TryAddSessionAsync(Sent(s_now.AddMinutes(60).AddTicks(10), createdBy: "cad", phone: "+447700900005"));

        Assert.NotNull(refused);
        Assert.Equal(SmsLimitKind.PerOfficer, refused.Limit);
        Assert.Equal("PerOfficer", refused.Name);
        Assert.Equal(s_now.AddHours(1), refused.FreesAt);
        Assert.Contains("'cad' has sent 2", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 13:00:00 UTC (in 40 minutes)", refused.Detail, StringComparison.Ordinal);
        Assert.Null(otherOfficer);
        Assert.Null(afterWindow);
    }

    [Fact]
    public async Task ThePerNumberLimitCountsEveryOfficersSendsToTheNumber()
    {
        SmsSendingLimits limits = Limits(perNumber: 1);
        Assert.Null(await limits.TryAddSessionAsync(Sent(s_now, createdBy: "cad")));

        SmsLimitRefusal? refused = await limits.TryAddSessionAsync(Sent(s_now.AddMinutes(1), createdBy: "portal"));

        Assert.Equal(SmsLimitKind.PerNumber, refused?.Limit);
        Assert.Contains("+447700900123 has been sent 1", refused!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePerCountryLimitCountsAllNumbersUnderTheCode()
    {
        SmsSendingLimits limits = Limits(perCountry: 2, countries: ["44", "353"]);
        Assert.Null(await limits.TryAddSessionAsync(Sent(s_now, phone: "+447700900001", createdBy: "a")));
        Assert.Null(await limits.TryAddSessionAsync(Sent(s_now, phone: "+447700900002", createdBy: "b")));

        SmsLimitRefusal? refused = await limits.TryAddSessionAsync(Sent(s_now, phone: "+447700900003", createdBy: "c"));
        SmsLimitRefusal? ireland = await limits.TryAddSessionAsync(Sent(s_now, phone: "+353851234567", createdBy: "c"));

        Assert.Equal(SmsLimitKind.PerCountry, refused?.Limit);
        Assert.Contains("numbers under +44 have been sent 2", refused!.Detail, StringComparison.Ordinal);
        Assert.Null(ireland);
    }

    [Fact]
    public async Task OnlyAllowedCountriesAreSentTo_TheUKByDefault()
    {
        SmsSendingLimits limits = new(_db, new SmsLimitOptions());

        SmsLimitRefusal? france = await limits.TryAddSessionAsync(Sent(s_now, phone: "+33612345678"));

        Assert.Equal(SmsLimitKind.CountryNotAllowed, france?.Limit);
        Assert.Null(france!.FreesAt);
        Assert.Contains("+44", france.Detail, StringComparison.Ordinal);
        Assert.Contains("+33", france.Detail, StringComparison.Ordinal);
        Assert.Empty(await new SqliteSessionStore(_db).ListAsync());
    }

    [Fact]
    public async Task ARefusedSendStoresNothing_AndSessionsWithoutAnSmsAreNotCounted()
    {
        SmsSendingLimits limits = Limits(perOfficer: 1);
        var store = new SqliteSessionStore(_db);
        await store.AddAsync(SessionDatabase.NewSession(CallerSecret.Create(), s_now));
        Assert.Null(await limits.TryAddSessionAsync(Sent(s_now)));

        Assert.NotNull(await limits.TryAddSessionAsync(Sent(s_now)));

        Assert.Equal(2, (await store.ListAsync()).Count);
    }

    [Fact]
    public async Task TheLimitsAreCountedFromTheDatabase_SoARestartDoesNotResetThem()
    {
        Assert.Null(await Limits(perOfficer: 1).TryAddSessionAsync(Sent(s_now)));

        RelayDatabase reopened = await _database.OpenAsync();
        SmsLimitRefusal? refused = await new SmsSendingLimits(reopened, new SmsLimitOptions { PerOfficer = new SmsLimit { Count = 1, Window = TimeSpan.FromHours(1) } })
            .TryAddSessionAsync(Sent(s_now.AddMinutes(5), phone: "+447700900999"));

        Assert.Equal(SmsLimitKind.PerOfficer, refused?.Limit);
    }

    [Fact]
    public async Task RacingSendsCannotBothTakeTheLastPlace()
    {
        SmsSendingLimits limits = Limits(perOfficer: 1);

        SmsLimitRefusal?[] results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => limits.TryAddSessionAsync(Sent(s_now, phone: $"+44770090010{i}")))));

        Assert.Single(results, r => r is null);
    }

    private SmsSendingLimits Limits(int perOfficer = 100, int perNumber = 100, int perCountry = 100, string[]? countries = null) => new(_db, new SmsLimitOptions
    {
        AllowedCountryCodes = countries,
        PerOfficer = new SmsLimit { Count = perOfficer, Window = TimeSpan.FromHours(1) },
        PerNumber = new SmsLimit { Count = perNumber, Window = TimeSpan.FromHours(1) },
        PerCountry = new SmsLimit { Count = perCountry, Window = TimeSpan.FromHours(1) },
    });

    private static CallSession Sent(DateTimeOffset at, string createdBy = "cad", string phone = "+447700900123") =>
        SessionDatabase.NewSession(CallerSecret.Create(), at, phone: phone, createdBy: createdBy) with
        {
            Sms = new SessionSms(SessionSmsState.Unknown, null, null, at),
        };
}
