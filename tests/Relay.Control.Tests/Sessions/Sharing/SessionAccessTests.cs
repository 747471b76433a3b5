using Relay.Control.Sessions;
using Relay.Control.Sessions.Sharing;
using Relay.Control.Users;

namespace Relay.Control.Tests.Sessions.Sharing;

public sealed class SessionAccessTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);

    private static readonly CallSession s_byPc1 = SessionDatabase.NewSession("t", s_now, createdBy: "pc1");

    private static SessionViewer Officer(string name) => SessionViewer.Person(name, [UserRoles.Officer]);

    [Fact]
    public void AnOfficerSeesTheSessionTheyCreated_WhetherOrNotItIsShared()
    {
        Assert.True(SessionAccess.MaySee(Officer("pc1"), s_byPc1, sharedWithViewer: false));
        Assert.True(SessionAccess.MaySee(Officer("PC1"), s_byPc1, sharedWithViewer: false));
    }

    [Fact]
    public void AnOfficerDoesNotSeeAnotherOfficersSession_UntilItIsSharedWithThem()
    {
        Assert.False(SessionAccess.MaySee(Officer("pc2"), s_byPc1, sharedWithViewer: false));
        Assert.True(SessionAccess.MaySee(Officer("pc2"), s_byPc1, sharedWithViewer: true));
    }

    [Fact]
    public void ASupervisorAndAnApiKeySeeEverySession()
    {
        Assert.True(SessionAccess.MaySee(SessionViewer.Person("sgt1", [UserRoles.Supervisor]), s_byPc1, sharedWithViewer: false));
        Assert.True(SessionAccess.MaySee(SessionViewer.System("cad"), s_byPc1, sharedWithViewer: false));
        Assert.True(SessionAccess.SeesEverySession(SessionViewer.System("cad")));
        Assert.False(SessionAccess.SeesEverySession(Officer("pc1")));
    }

    [Fact]
    public void SomeoneWithoutTheOfficerRoleSeesNoSession_EvenTheirOwnNameOnIt()
    {
        Assert.False(SessionAccess.MaySee(SessionViewer.Person("pc1", [UserRoles.Engineer]), s_byPc1, sharedWithViewer: false));
        Assert.False(SessionAccess.MaySee(SessionViewer.Person("em1", [UserRoles.EvidenceManager]), s_byPc1, sharedWithViewer: true));
    }

    [Fact]
    public void ASupervisorOrTheCreatorMayShare_ButNotAnOfficerItIsOnlySharedWith()
    {
        Assert.True(SessionAccess.MayShare(SessionViewer.Person("sgt1", [UserRoles.Supervisor]), s_byPc1));
        Assert.True(SessionAccess.MayShare(Officer("pc1"), s_byPc1));
        Assert.False(SessionAccess.MayShare(Officer("pc2"), s_byPc1));
        Assert.True(SessionAccess.MayShare(SessionViewer.System("cad"), SessionDatabase.NewSession("u", s_now, createdBy: "cad", createdByKind: SessionCreatorKind.ApiKey)));
        Assert.False(SessionAccess.MayShare(SessionViewer.System("cad"), s_byPc1));
    }

    [Fact]
    public void APersonNamedLikeAnApiKeyIsNotTheCreatorOfThatKeysSessions_NorTheKeyOfThePersons()
    {
        CallSession byKey = SessionDatabase.NewSession("k", s_now, createdBy: "cad", createdByKind: SessionCreatorKind.ApiKey);
        CallSession byPerson = SessionDatabase.NewSession("p", s_now, createdBy: "cad", createdByKind: SessionCreatorKind.User);

        Assert.False(SessionAccess.Created(Officer("cad"), byKey));
        Assert.False(SessionAccess.MaySee(Officer("cad"), byKey, sharedWithViewer: false));
        Assert.False(SessionAccess.MayShare(Officer("cad"), byKey));
        Assert.True(SessionAccess.Created(SessionViewer.System("cad"), byKey));
        Assert.True(SessionAccess.Created(Officer("cad"), byPerson));
        Assert.False(SessionAccess.Created(SessionViewer.System("cad"), byPerson));
        Assert.False(SessionAccess.MayShare(SessionViewer.System("cad"), byPerson));
    }

    [Fact]
    public void AKeysSessionMayBeSharedWithAnOfficerNamedLikeTheKey_AndAnUnknownCreatorsWithAnyone()
    {
        RelayUser cad = User("cad", UserRoles.Officer);

        Assert.Null(SessionAccess.RefuseShareWith(SessionDatabase.NewSession("k", s_now, createdBy: "cad", createdByKind: SessionCreatorKind.ApiKey), "cad", cad));
        Assert.NotNull(SessionAccess.RefuseShareWith(SessionDatabase.NewSession("p", s_now, createdBy: "cad", createdByKind: SessionCreatorKind.User), "cad", cad));
        CallSession unknown = SessionDatabase.NewSession("u", s_now, createdBy: "cad", createdByKind: SessionCreatorKind.Unknown);
        Assert.Null(SessionAccess.RefuseShareWith(unknown, "cad", cad));
        Assert.False(SessionAccess.Created(Officer("cad"), unknown));
        Assert.False(SessionAccess.Created(SessionViewer.System("cad"), unknown));
    }

    [Fact]
    public void ASessionIsSharedOnlyWithAnEnabledOfficerWhoCannotAlreadySeeIt()
    {
        RelayUser pc2 = User("pc2", UserRoles.Officer);

        Assert.Null(SessionAccess.RefuseShareWith(s_byPc1, "pc2", pc2));
        Assert.Contains("no user 'ghost'", SessionAccess.RefuseShareWith(s_byPc1, "ghost", null), StringComparison.Ordinal);
        Assert.Contains("disabled", SessionAccess.RefuseShareWith(s_byPc1, "pc2", pc2 with { Disabled = true }), StringComparison.Ordinal);
        Assert.Contains("supervisor", SessionAccess.RefuseShareWith(s_byPc1, "sgt1", User("sgt1", UserRoles.Supervisor)), StringComparison.Ordinal);
        Assert.Contains("not an officer", SessionAccess.RefuseShareWith(s_byPc1, "eng1", User("eng1", UserRoles.Engineer)), StringComparison.Ordinal);
        Assert.Contains("created this session", SessionAccess.RefuseShareWith(s_byPc1, "pc1", User("pc1", UserRoles.Officer)), StringComparison.Ordinal);
        Assert.Contains("ended", SessionAccess.RefuseShareWith(s_byPc1 with { State = SessionState.Ended }, "pc2", pc2), StringComparison.Ordinal);
    }

    private static RelayUser User(string name, string role) => new(name, name, [role], false, null, s_now, "stamp");
}
