using Relay.Control.Audit;
using Relay.Portal.Access;

namespace Relay.Portal.Tests.Access;

public sealed class AuditFilterTests
{
    [Fact]
    public void TheSuggestedActionsAreEveryActionTheRelayWrites_IncludingTuningAndPluginSettingChanges()
    {
        Assert.Same(AuditActions.All, AuditFilter.KnownActions);
        Assert.Contains(AuditActions.TuningChange, AuditFilter.KnownActions);
        Assert.Contains("tuning-change", AuditFilter.KnownActions);
        Assert.Contains(AuditActions.PluginSettingChange, AuditFilter.KnownActions);
        Assert.Contains(AuditActions.SubjectAccess, AuditFilter.KnownActions);
    }

    [Fact]
    public void BlankFieldsMatchEverything()
    {
        AuditQuery query = new AuditFilter { Action = " ", Actor = "", Subject = null }.ToQuery(0);
        Assert.Null(query.Action);
        Assert.Null(query.Actor);
        Assert.Null(query.Subject);
        Assert.Null(query.From);
        Assert.Null(query.To);
        Assert.Equal(AuditFilter.PageSize, query.Limit);
    }

    [Fact]
    public void FieldsAreTrimmedAndPagingStartsAfterTheGivenRow()
    {
        AuditQuery query = new AuditFilter { Action = " sign-in ", Actor = "admin", Subject = "abc" }.ToQuery(42);
        Assert.Equal("sign-in", query.Action);
        Assert.Equal("admin", query.Actor);
        Assert.Equal("abc", query.Subject);
        Assert.Equal(42, query.AfterSequence);
    }

    [Fact]
    public void TheToDayIsIncludedWhole()
    {
        AuditQuery query = new AuditFilter { From = new DateOnly(2026, 12, 1), To = new DateOnly(2026, 12, 1) }.ToQuery(0);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), query.To);
    }

    [Fact]
    public void ARowIsDescribedByItsReasonRecipientAndDetails()
    {
        var row = new AuditRecord(1, DateTimeOffset.UnixEpoch, "pc1", "sms-sent", "s1", "asked", "+44*******123",
            new Dictionary<string, string> { ["state"] = "queued", ["mode"] = "video" }, new string('0', 64), new string('1', 64));
        Assert.Equal("reason: asked; to: +44*******123; state=queued, mode=video", AuditFilter.Describe(row));
    }

    [Fact]
    public void ARowWithNothingMoreIsDescribedAsNothing()
    {
        var row = new AuditRecord(1, DateTimeOffset.UnixEpoch, "pc1", "sign-in", "pc1", null, null, new Dictionary<string, string>(), new string('0', 64), new string('1', 64));
        Assert.Equal("", AuditFilter.Describe(row));
    }
}
