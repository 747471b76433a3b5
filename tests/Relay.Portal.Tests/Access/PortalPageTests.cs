using Relay.Portal.Access;

namespace Relay.Portal.Tests.Access;

public sealed class PortalPageTests
{
    [Fact]
    public void AnOfficerIsOfferedTheOverviewLiveAndNewSession() =>
        Assert.Equal(["Overview", "Live", "New session"], Titles(["officer"]));

    [Fact]
    public void ASupervisorIsOfferedWhatAnOfficerIsAndTheAuditLog() =>
        Assert.Equal(["Overview", "Live", "New session", "Audit"], Titles(["supervisor"]));

    [Fact]
    public void AnEvidenceManagerIsOfferedEvidenceAndTheAuditLogButNotSessions() =>
        Assert.Equal(["Overview", "Evidence", "Audit"], Titles(["evidence-manager"]));

    [Fact]
    public void OnlyAnEvidenceManagerIsOfferedEvidenceAsTheHttpApiAllows()
    {
        foreach (string role in (string[])["officer", "supervisor", "engineer"])
        {
            Assert.DoesNotContain("Evidence", Titles([role]));
        }
    }

    [Fact]
    public void AnEngineerIsOfferedUsersPluginsAndNodes() =>
        Assert.Equal(["Overview", "Users and roles", "Plugins", "Nodes and metrics", "Tuning"], Titles(["engineer"]));

    [Fact]
    public void SeveralRolesAreOfferedTheUnionOnceInNavigationOrder() =>
        Assert.Equal(["Overview", "Live", "New session", "Audit", "Users and roles", "Plugins", "Nodes and metrics", "Tuning"], Titles(["engineer", "supervisor", "officer"]));

    [Fact]
    public void NoRoleIsOfferedNothing() => Assert.Empty(Titles([]));

    [Fact]
    public void AnUnknownRoleIsOfferedNothing() => Assert.Empty(Titles(["Officer", "admin"]));

    [Fact]
    public void EveryPageIsUnderThePortalPath()
    {
        foreach (PortalPage page in PortalPage.All)
        {
            Assert.StartsWith("/portal", page.Path, StringComparison.Ordinal);
        }
    }

    private static string[] Titles(string[] roles) => [.. PortalPage.For(roles).Select(static page => page.Title)];
}
