using Relay.Control.Audit;
using Relay.Control.Evidence;
using Relay.Control.Evidence.Retention;

namespace Relay.Control.Tests.Evidence.Retention;

public sealed class RetentionCategoriesTests : IAsyncLifetime
{
    private EvidenceDatabase _db = null!;

    private RetentionCategories Categories => _db.Categories;

    public async Task InitializeAsync() => _db = await EvidenceDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task TheFirstMigrationSeedsTheMoPIGroupsAndANotNeededDefault()
    {
        IReadOnlyList<RetentionCategory> categories = await Categories.ListAsync();

        Assert.Equal(RetentionDefaults.Categories.OrderBy(c => c.Id, StringComparer.Ordinal), categories);
        Assert.Equal(RetentionDefaults.NotNeeded, Assert.Single(categories, c => c.IsDefault).Id);
        Assert.Equal((RetentionPeriod.Years(10), RetentionDisposal.Review), ((await Categories.FindAsync(RetentionDefaults.Group1))!.ReviewPeriod, (await Categories.FindAsync(RetentionDefaults.Group1))!.Disposal));
        Assert.Equal(RetentionDisposal.Dispose, (await Categories.FindAsync(RetentionDefaults.Group3))!.Disposal);
    }

    [Fact]
    public async Task AForceAddsACategoryAndTheChangeIsAuditedAsAnAlteration()
    {
        var added = new RetentionCategory("traffic", "Road traffic collisions", RetentionPeriod.Years(3), RetentionDisposal.Dispose, false);

        await Categories.PutAsync(added, "admin", "Force policy RP-12");

        Assert.Equal(added, await Categories.FindAsync("traffic"));
        AuditRecord audit = Assert.Single(await _db.AuditAsync(RetentionCategories.AuditSubject("traffic")));
        Assert.Equal((AuditActions.Alteration, "admin", "Force policy RP-12"), (audit.Action, audit.Actor, audit.Reason));
        Assert.Equal("P3Y", audit.Details["reviewPeriod"]);
    }

    [Fact]
    public async Task MakingAnotherCategoryTheDefaultMovesTheDefault()
    {
        await Categories.PutAsync(new RetentionCategory(RetentionDefaults.Group3, "MoPI group 3: all other offences", RetentionPeriod.Years(6), RetentionDisposal.Dispose, true), "admin", "policy");

        Assert.Equal(RetentionDefaults.Group3, Assert.Single(await Categories.ListAsync(), c => c.IsDefault).Id);
    }

    [Fact]
    public async Task TheDefaultCannotBeTakenAwayWithoutGivingItToAnother()
    {
        EvidenceCatalogueException refused = await Assert.ThrowsAsync<EvidenceCatalogueException>(() => Categories.PutAsync(
            new RetentionCategory(RetentionDefaults.NotNeeded, "Not needed", RetentionPeriod.Days(31), RetentionDisposal.Dispose, false), "admin", "policy"));

        Assert.Equal(EvidenceCatalogueError.Conflict, refused.Error);
        Assert.True((await Categories.FindAsync(RetentionDefaults.NotNeeded))!.IsDefault);
    }

    [Theory]
    [InlineData("bad id", "name", "reason", "id")]
    [InlineData("", "name", "reason", "id")]
    [InlineData("ok", "", "reason", "name")]
    [InlineData("ok", "line\nbreak", "reason", "name")]
    [InlineData("ok", "name", "", "reason")]
    public async Task AnInvalidCategoryIsRefusedNamingTheField(string id, string name, string reason, string field)
    {
        EvidenceCatalogueException refused = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Categories.PutAsync(new RetentionCategory(id, name, RetentionPeriod.Years(1), RetentionDisposal.Review, false), "admin", reason));

        Assert.Equal(field, refused.Field);
        Assert.Equal(4, (await Categories.ListAsync()).Count);
    }

    [Fact]
    public async Task HugeNamesAndReasonsAreRefused()
    {
        await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Categories.PutAsync(new RetentionCategory("ok", new string('n', 100_000), RetentionPeriod.Years(1), RetentionDisposal.Review, false), "admin", "r"));
        await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Categories.PutAsync(new RetentionCategory("ok", "n", RetentionPeriod.Years(1), RetentionDisposal.Review, false), "admin", new string('r', 100_000)));
        Assert.Null(await Categories.FindAsync("ok"));
    }
}
