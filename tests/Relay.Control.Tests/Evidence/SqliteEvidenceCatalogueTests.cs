using Relay.Control.Audit;
using Relay.Control.Evidence;
using Relay.Control.Evidence.Retention;
using Relay.Control.Location;
using Relay.Control.Tests.Sessions;
using Relay.Testing;

namespace Relay.Control.Tests.Evidence;

public sealed class SqliteEvidenceCatalogueTests : IAsyncLifetime
{
    private EvidenceDatabase _db = null!;

    private SqliteEvidenceCatalogue Catalogue => _db.Catalogue;

    public async Task InitializeAsync() => _db = await EvidenceDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task TheFirstRecordingCreatesTheItemFromItsSessionWithTheCategorysReviewDate()
    {
        DateTimeOffset now = _db.Time.GetUtcNow();
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.Group3, incident: "INC-77", officer: "pc-1234");

        EvidenceItem item = (await Catalogue.FindAsync(id))!;

        Assert.Equal(id, item.Id);
        Assert.Equal("INC-77", item.Incident);
        Assert.Equal("+447700900123", item.Phone);
        Assert.Equal("pc-1234", item.CreatedBy);
        Assert.Equal(now, item.CreatedAt);
        Assert.Equal(RetentionDefaults.Group3, item.Category);
        Assert.Equal(now.AddYears(6), item.NextReviewAt);
        Assert.Null(item.LegalHold);
        EvidenceRecording only = Assert.Single(item.Recordings);
        Assert.Equal(recording, only.RecordingId);
        Assert.Equal("node-a", only.NodeId);
        Assert.Null(only.Closed);
        Assert.Null(only.Store);
    }

    [Fact]
    public async Task AReconnectAddsASecondRecordingToTheSameItemAndARetriedStartIsHarmless()
    {
        (string id, Guid first) = await _db.RecordAsync();
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        var second = Guid.NewGuid();
        var started = new RecordingStarted(second, id, "node-b", _db.Time.GetUtcNow());

        await Catalogue.RecordingStartedAsync(started);
        await Catalogue.RecordingStartedAsync(started);

        EvidenceItem item = (await Catalogue.FindAsync(id))!;
        Assert.Equal([first, second], item.Recordings.Select(r => r.RecordingId));
        Assert.Equal("node-b", item.Recordings[1].NodeId);
    }

    [Fact]
    public async Task ClosingAndStoringARecordingKeepWhatItsManifestSaysAndWhereItIs()
    {
        (string id, Guid recording) = await _db.RecordAsync();
        _db.Time.Advance(TimeSpan.FromMinutes(5));
        var closed = new RecordingClosed(recording, _db.Time.GetUtcNow(), 30, 123_456, new string('c', 64), new string('d', 64), 1, true);

        await Catalogue.RecordingClosedAsync(closed);
        await Catalogue.RecordingStoredAsync(recording, "filesystem", _db.Time.GetUtcNow().AddSeconds(3));

        EvidenceRecording stored = Assert.Single((await Catalogue.FindAsync(id))!.Recordings);
        Assert.Equal(closed, stored.Closed);
        Assert.Equal("filesystem", stored.Store);
        Assert.Equal(_db.Time.GetUtcNow().AddSeconds(3), stored.StoredAt);
    }

    [Fact]
    public async Task ASessionNamingACategoryThatNoLongerExistsGetsTheDefault()
    {
        (string id, _) = await _db.RecordAsync("standard");

        EvidenceItem item = (await Catalogue.FindAsync(id))!;

        Assert.Equal(RetentionDefaults.NotNeeded, item.Category);
        Assert.Equal(item.CreatedAt.AddDays(31), item.NextReviewAt);
    }

    [Fact]
    public async Task RecordingsTheCatalogueNeverHeardOfAreRefusedWithTheReason()
    {
        var unknown = Guid.NewGuid();

        EvidenceCatalogueException noSession = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.RecordingStartedAsync(new RecordingStarted(unknown, "no-such-session", "node-a", _db.Time.GetUtcNow())));
        EvidenceCatalogueException notStarted = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.RecordingStoredAsync(unknown, "filesystem", _db.Time.GetUtcNow()));

        Assert.Equal(EvidenceCatalogueError.NotFound, noSession.Error);
        Assert.Contains("no session", noSession.Message, StringComparison.Ordinal);
        Assert.Equal(EvidenceCatalogueError.NotFound, notStarted.Error);
    }

    [Fact]
    public async Task FindReturnsNullForUnknownEmptyAndHugeIds()
    {
        Assert.Null(await Catalogue.FindAsync("unknown"));
        Assert.Null(await Catalogue.FindAsync(""));
        Assert.Null(await Catalogue.FindAsync(new string('x', 100_000)));
        Assert.Null(await Catalogue.FindAsync("'; DROP TABLE evidence_items; --"));
    }

    [Fact]
    public async Task FindByPhoneReturnsEveryItemForTheNumberOldestFirst()
    {
        (string first, _) = await _db.RecordAsync(phone: "+447700900111");
        _db.Time.Advance(TimeSpan.FromHours(1));
        await _db.RecordAsync(phone: "+447700900222");
        _db.Time.Advance(TimeSpan.FromHours(1));
        (string third, _) = await _db.RecordAsync(phone: "+447700900111");

        IReadOnlyList<EvidenceItem> items = await Catalogue.FindByPhoneAsync("+447700900111");

        Assert.Equal([first, third], items.Select(i => i.Id));
        Assert.Empty(await Catalogue.FindByPhoneAsync("+447700900999"));
    }

    [Fact]
    public async Task SearchMatchesEveryGivenFieldNewestFirst()
    {
        DateTimeOffset start = _db.Time.GetUtcNow();
        (string a, _) = await _db.RecordAsync(incident: "INC-1", officer: "cad");
        _db.Time.Advance(TimeSpan.FromHours(1));
        (string b, _) = await _db.RecordAsync(incident: "INC-1", officer: "pc-9");
        _db.Time.Advance(TimeSpan.FromHours(1));
        (string c, _) = await _db.RecordAsync(incident: "INC-2", officer: "cad", phone: "+447700900555");

        Assert.Equal([b, a], (await Catalogue.SearchAsync(new EvidenceSearch { Incident = "INC-1" })).Select(i => i.Id));
        Assert.Equal([c, a], (await Catalogue.SearchAsync(new EvidenceSearch { Officer = "cad" })).Select(i => i.Id));
        Assert.Equal([c], (await Catalogue.SearchAsync(new EvidenceSearch { Phone = "+447700900555" })).Select(i => i.Id));
        Assert.Equal([b], (await Catalogue.SearchAsync(new EvidenceSearch { From = start.AddMinutes(30), To = start.AddMinutes(90) })).Select(i => i.Id));
        Assert.Equal([c], (await Catalogue.SearchAsync(new EvidenceSearch { Limit = 1 })).Select(i => i.Id));
        Assert.Empty(await Catalogue.SearchAsync(new EvidenceSearch { Incident = "' OR 1=1 --" }));
        Assert.Single((await Catalogue.SearchAsync(new EvidenceSearch { Incident = "INC-2" }))[0].Recordings);
    }

    [Fact]
    public async Task RetainingSetsTheNextReviewAndIsRecordedAndAudited()
    {
        (string id, _) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        _db.Time.Advance(TimeSpan.FromDays(10));
        DateTimeOffset next = _db.Time.GetUtcNow().AddYears(1);

        EvidenceItem item = await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Retain, "Complainant may still make a statement", "sgt-1", next));

        Assert.Equal(next, item.NextReviewAt);
        EvidenceReviewRecord review = Assert.Single(await Catalogue.ListReviewsAsync(id));
        Assert.Equal(("sgt-1", EvidenceDecision.Retain, "Complainant may still make a statement", next), (review.Actor, review.Decision, review.Reason, review.NextReviewAt));
        AuditRecord audit = Assert.Single(await _db.AuditAsync(id), e => e.Action == AuditActions.Review);
        Assert.Equal("sgt-1", audit.Actor);
        Assert.Equal("Complainant may still make a statement", audit.Reason);
        Assert.Equal("retain", audit.Details["decision"]);
    }

    [Fact]
    public async Task RetainingWithoutADateUsesTheCategorysPeriodFromNow()
    {
        (string id, _) = await _db.RecordAsync(RetentionDefaults.Group3);
        _db.Time.Advance(TimeSpan.FromDays(100));

        EvidenceItem item = await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Retain, "still relevant", "sgt-1"));

        Assert.Equal(_db.Time.GetUtcNow().AddYears(6), item.NextReviewAt);
    }

    [Fact]
    public async Task RecategorisingMovesTheItemAndItsReviewDate()
    {
        (string id, _) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        _db.Time.Advance(TimeSpan.FromDays(3));

        EvidenceItem item = await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Recategorise, "Now a serious assault investigation", "sgt-1", Category: RetentionDefaults.Group2));

        Assert.Equal(RetentionDefaults.Group2, item.Category);
        Assert.Equal(_db.Time.GetUtcNow().AddYears(10), item.NextReviewAt);
        AuditRecord audit = Assert.Single(await _db.AuditAsync(id), e => e.Action == AuditActions.Review);
        Assert.Equal(RetentionDefaults.NotNeeded, audit.Details["previousCategory"]);
        Assert.Equal(RetentionDefaults.Group2, audit.Details["category"]);
    }

    [Theory]
    [InlineData(EvidenceDecision.Recategorise, "no-such-category", "reason", "not a retention category")]
    [InlineData(EvidenceDecision.Recategorise, null, "reason", "Give the category")]
    [InlineData(EvidenceDecision.Recategorise, "mopi-group-3", "reason", "already in")]
    [InlineData(EvidenceDecision.Retain, "mopi-group-1", "reason", "only with the decision")]
    [InlineData(EvidenceDecision.Retain, null, "", "Give a reason")]
    [InlineData(EvidenceDecision.Retain, null, "   ", "Give a reason")]
    [InlineData(EvidenceDecision.Retain, null, "bad\u0000reason", "control characters")]
    [InlineData((EvidenceDecision)42, null, "reason", "\"retain\", \"dispose\" or \"recategorise\"")]
    public async Task ABadReviewIsRefusedSayingWhyAndChangesNothing(EvidenceDecision decision, string? category, string reason, string message)
    {
        (string id, _) = await _db.RecordAsync(RetentionDefaults.Group3);
        EvidenceItem before = (await Catalogue.FindAsync(id))!;

        EvidenceCatalogueException refused = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.ReviewAsync(new EvidenceReview(id, decision, reason, "sgt-1", Category: category)));

        Assert.Equal(EvidenceCatalogueError.Invalid, refused.Error);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(before, await Catalogue.FindAsync(id));
        Assert.Empty(await Catalogue.ListReviewsAsync(id));
        Assert.DoesNotContain(await _db.AuditAsync(id), e => e.Action == AuditActions.Review);
    }

    [Fact]
    public async Task AHugeReasonOrAPastReviewDateIsRefused()
    {
        (string id, _) = await _db.RecordAsync();

        EvidenceCatalogueException huge = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Retain, new string('r', 1_000_000), "sgt-1")));
        EvidenceCatalogueException past = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Retain, "reason", "sgt-1", _db.Time.GetUtcNow().AddDays(-1))));
        EvidenceCatalogueException far = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Retain, "reason", "sgt-1", _db.Time.GetUtcNow().AddYears(500))));

        Assert.Contains("at most 2000 characters", huge.Message, StringComparison.Ordinal);
        Assert.Equal("nextReviewAt", past.Field);
        Assert.Equal("nextReviewAt", far.Field);
    }

    [Fact]
    public async Task ReviewingAnUnknownItemIsNotFound()
    {
        EvidenceCatalogueException refused = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.ReviewAsync(new EvidenceReview("nope", EvidenceDecision.Retain, "reason", "sgt-1")));

        Assert.Equal(EvidenceCatalogueError.NotFound, refused.Error);
    }

    [Fact]
    public async Task ALegalHoldIsPlacedAndLiftedInTheCatalogueAndTheStoreAndAudited()
    {
        (string id, Guid recording) = await _db.RecordAsync();

        EvidenceItem held = await Catalogue.PlaceLegalHoldAsync(id, "dc-7", "Crown Court trial pending");

        Assert.Equal(new LegalHold("dc-7", _db.Time.GetUtcNow(), "Crown Court trial pending"), held.LegalHold);
        Assert.True(_db.Holds.IsHeld(recording));
        EvidenceCatalogueException twice = await Assert.ThrowsAsync<EvidenceCatalogueException>(() => Catalogue.PlaceLegalHoldAsync(id, "dc-7", "again"));
        Assert.Equal(EvidenceCatalogueError.Conflict, twice.Error);

        _db.Time.Advance(TimeSpan.FromDays(1));
        EvidenceItem lifted = await Catalogue.LiftLegalHoldAsync(id, "dc-7", "Trial concluded");

        Assert.Null(lifted.LegalHold);
        Assert.False(_db.Holds.IsHeld(recording));
        IReadOnlyList<AuditRecord> alterations = [.. (await _db.AuditAsync(id)).Where(e => e.Action == AuditActions.Alteration)];
        Assert.Equal(["legal-hold-placed", "legal-hold-lifted"], alterations.Select(e => e.Details["change"]));
        Assert.Equal(["Crown Court trial pending", "Trial concluded"], alterations.Select(e => e.Reason));
        Assert.Equal("Crown Court trial pending", alterations[1].Details["holdReason"]);
        EvidenceCatalogueException notHeld = await Assert.ThrowsAsync<EvidenceCatalogueException>(() => Catalogue.LiftLegalHoldAsync(id, "dc-7", "again"));
        Assert.Equal(EvidenceCatalogueError.Conflict, notHeld.Error);
    }

    [Fact]
    public async Task ARecordingStartedWhileItsItemIsHeldIsHeldInTheStore()
    {
        (string id, _) = await _db.RecordAsync();
        await Catalogue.PlaceLegalHoldAsync(id, "dc-7", "hold");
        var later = Guid.NewGuid();

        await Catalogue.RecordingStartedAsync(new RecordingStarted(later, id, "node-a", _db.Time.GetUtcNow()));

        Assert.True(_db.Holds.IsHeld(later));
    }

    [Fact]
    public async Task AHoldNeedsAReasonAndAKnownItem()
    {
        (string id, _) = await _db.RecordAsync();

        Assert.Equal(EvidenceCatalogueError.Invalid, (await Assert.ThrowsAsync<EvidenceCatalogueException>(() => Catalogue.PlaceLegalHoldAsync(id, "dc-7", ""))).Error);
        Assert.Equal(EvidenceCatalogueError.NotFound, (await Assert.ThrowsAsync<EvidenceCatalogueException>(() => Catalogue.PlaceLegalHoldAsync("nope", "dc-7", "r"))).Error);
        Assert.Equal(EvidenceCatalogueError.NotFound, (await Assert.ThrowsAsync<EvidenceCatalogueException>(() => Catalogue.PlaceLegalHoldAsync(new string('x', 10_000), "dc-7", "r"))).Error);
        Assert.Null((await Catalogue.FindAsync(id))!.LegalHold);
    }

    [Fact]
    public async Task AnItemIsDueWhenItsDisposingCategorysReviewDateComesAndItsRecordingsAreClosed()
    {
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        _db.Time.Advance(TimeSpan.FromDays(31) - TimeSpan.FromSeconds(1));
        await _db.CloseAsync(recording);

        Assert.Empty(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));

        _db.Time.Advance(TimeSpan.FromSeconds(1));
        EvidenceDisposal due = Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
        Assert.Equal(id, due.Item.Id);
        Assert.Equal("category", due.Basis);
        Assert.Contains("not-needed", due.Reason, StringComparison.Ordinal);
        Assert.Single(due.Item.Recordings);
    }

    [Fact]
    public async Task AnItemStillRecordingIsNeverDue()
    {
        await _db.RecordAsync(RetentionDefaults.NotNeeded);
        _db.Time.Advance(TimeSpan.FromDays(400));

        Assert.Empty(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
    }

    [Fact]
    public async Task AReviewCategoryIsNeverDisposedAutomatically()
    {
        (_, Guid recording) = await _db.RecordAsync(RetentionDefaults.Group1);
        await _db.CloseAsync(recording);
        _db.Time.Advance(TimeSpan.FromDays(365 * 30));

        Assert.Empty(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
    }

    [Fact]
    public async Task ADisposeDecisionMakesItDueAtOnceAndAHoldBlocksIt()
    {
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.Group1);
        await _db.CloseAsync(recording);
        await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Dispose, "No further action; not needed", "sgt-1"));

        EvidenceDisposal due = Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
        Assert.Equal("decision", due.Basis);
        Assert.Contains("No further action; not needed", due.Reason, StringComparison.Ordinal);

        await Catalogue.PlaceLegalHoldAsync(id, "dc-7", "Appeal lodged");

        Assert.Empty(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
        Assert.False(await Catalogue.CompleteDisposalAsync(due, "relay-retention", new Dictionary<string, string>()));
        Assert.NotNull(await Catalogue.FindAsync(id));
    }

    [Fact]
    public async Task ADisposeDecisionOnAHeldItemIsRefused()
    {
        (string id, _) = await _db.RecordAsync();
        await Catalogue.PlaceLegalHoldAsync(id, "dc-7", "hold");

        EvidenceCatalogueException refused = await Assert.ThrowsAsync<EvidenceCatalogueException>(() =>
            Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Dispose, "not needed", "sgt-1")));

        Assert.Equal(EvidenceCatalogueError.Conflict, refused.Error);
        Assert.Contains("legal hold", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetainingBeforeTheReviewDateKeepsAnItemFromDisposal()
    {
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        await _db.CloseAsync(recording);
        _db.Time.Advance(TimeSpan.FromDays(20));
        await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Retain, "Needed for a while", "sgt-1"));

        _db.Time.Advance(TimeSpan.FromDays(20));
        Assert.Empty(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
        _db.Time.Advance(TimeSpan.FromDays(20));
        Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));
    }

    [Fact]
    public async Task CompletingADisposalDeletesTheRowsRedactsTheCallerAndAuditsTheErasure()
    {
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        await _db.CloseAsync(recording);
        await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Dispose, "Not needed", "sgt-1"));
        EvidenceDisposal due = Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));

        Assert.True(await Catalogue.CompleteDisposalAsync(due, "relay-retention", new Dictionary<string, string> { ["objects"] = "4" }));

        Assert.Null(await Catalogue.FindAsync(id));
        Assert.Empty(await Catalogue.ListReviewsAsync(id));
        Assert.Empty(await Catalogue.FindByPhoneAsync("+447700900123"));
        Assert.Equal(SqliteEvidenceCatalogue.RedactedPhone, (await _db.Sessions.FindAsync(id))!.Phone);
        AuditRecord erasure = Assert.Single(await _db.AuditAsync(id), e => e.Action == AuditActions.Erasure);
        Assert.Equal("relay-retention", erasure.Actor);
        Assert.Equal(due.Reason, erasure.Reason);
        Assert.Equal("4", erasure.Details["objects"]);
        Assert.Equal(recording.ToString("D"), erasure.Details["recordings"]);
        Assert.Equal("redacted on the session", erasure.Details["callerNumber"]);
        Assert.True((await _db.Audit.VerifyAsync()).IsIntact);
        Assert.False(await Catalogue.CompleteDisposalAsync(due, "relay-retention", new Dictionary<string, string>()));
    }

    [Fact]
    public async Task AClosedRecordingNotYetStoredKeepsItsItemFromDisposalEvenAfterADisposeDecision()
    {
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        await _db.CloseAsync(recording, stored: false);
        await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Dispose, "Not needed", "sgt-1"));
        _db.Time.Advance(TimeSpan.FromDays(400));

        Assert.Empty(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));

        await Catalogue.RecordingStoredAsync(recording, "filesystem", _db.Time.GetUtcNow());

        Assert.Equal(id, Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10)).Item.Id);
    }

    [Fact]
    public async Task ADisposalFoundBeforeASecondRecordingStartedIsNotCompleted()
    {
        (string id, Guid first) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        await _db.CloseAsync(first);
        await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Dispose, "Not needed", "sgt-1"));
        EvidenceDisposal due = Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));

        // The publisher reconnects (a new recording of the same session) while the run deletes objects.
        var second = Guid.NewGuid();
        await Catalogue.RecordingStartedAsync(new RecordingStarted(second, id, "node-a", _db.Time.GetUtcNow()));
        await _db.CloseAsync(second, stored: false);

        Assert.False(await Catalogue.CompleteDisposalAsync(due, "relay-retention", new Dictionary<string, string>()));
        Assert.Equal(2, (await Catalogue.FindAsync(id))!.Recordings.Count);
    }

    [Fact]
    public async Task CompletingADisposalDeletesTheSessionsLocationFixesAndNoOtherSessions()
    {
        (string id, Guid recording) = await _db.RecordAsync(RetentionDefaults.NotNeeded);
        (string other, _) = await _db.RecordAsync(RetentionDefaults.NotNeeded, phone: "+447700900999");
        await using (var fixes = new SqliteLocationFixLog(_db.Database))
        {
            DateTimeOffset now = _db.Time.GetUtcNow();
            foreach (string session in new[] { id, id, other })
            {
                fixes.Append(session, new LocationFix(51.5, -0.12, 8, null, null, now, now, default, null));
            }
        }

        await _db.CloseAsync(recording);
        await Catalogue.ReviewAsync(new EvidenceReview(id, EvidenceDecision.Dispose, "Not needed", "sgt-1"));
        EvidenceDisposal due = Assert.Single(await Catalogue.FindDueForDisposalAsync(_db.Time.GetUtcNow(), 10));

        Assert.True(await Catalogue.CompleteDisposalAsync(due, "relay-retention", new Dictionary<string, string>()));

        var log = new SqliteLocationFixLog(_db.Database);
        await using (log)
        {
            Assert.Empty(await log.ReadAsync(id, _db.Time.GetUtcNow().AddDays(-1), _db.Time.GetUtcNow().AddDays(1)));
            Assert.Single(await log.ReadAsync(other, _db.Time.GetUtcNow().AddDays(-1), _db.Time.GetUtcNow().AddDays(1)));
        }

        AuditRecord erasure = Assert.Single(await _db.AuditAsync(id), e => e.Action == AuditActions.Erasure);
        Assert.Equal("2", erasure.Details["locationFixes"]);
    }

    [Fact]
    public async Task HostileSearchTextFindsNothingAndBreaksNothing()
    {
        await _db.RecordAsync();
        foreach ((_, byte[] hostile) in HostileInput.Corruptions("INC-1"u8.ToArray(), seeds: 5, perSeed: 10))
        {
            string text = System.Text.Encoding.UTF8.GetString(hostile);
            Assert.Empty(await Catalogue.SearchAsync(new EvidenceSearch { Incident = text == "INC-1" ? "other" : text }));
        }

        Assert.Single(await Catalogue.SearchAsync(new EvidenceSearch { Incident = "INC-1" }));
    }
}
