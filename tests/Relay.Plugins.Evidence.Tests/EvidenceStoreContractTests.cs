using System.Security.Cryptography;
using System.Text;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Plugins.Evidence.Tests;

/// <summary>
/// What every evidence store must do, run against each store (file system, S3 through s3rver).
/// </summary>
public abstract class EvidenceStoreContractTests
{
    protected static readonly EvidenceDeletion Disposal = new("retention", "review period ended; disposal rule: delete");

    /// <summary>A fresh store over empty storage.</summary>
    protected abstract IEvidenceStore Store { get; }

    /// <summary>Whether the storage itself refuses a second writer of a key that raced the first (S3 If-None-Match).</summary>
    protected virtual bool EnforcesWriteOnceUnderRace => true;

    protected static EvidenceObjectKey Key(string recording, string name) => EvidenceObjectKey.Create(recording, name);

    protected static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<byte[]> ReadAllAsync(EvidenceObjectKey key)
    {
        await using Stream stream = await Store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_put_object_reads_back_with_its_size_and_hash()
    {
        byte[] bytes = Bytes(100_000, 1);
        EvidenceObjectKey key = Key("rec-put", "segment-000001.rseg");

        EvidenceObjectInfo info = await Store.PutAsync(key, new MemoryStream(bytes), Sha256Of(bytes), CancellationToken.None);

        Assert.Equal(bytes.Length, info.Size);
        Assert.Equal(Sha256Of(bytes), info.Sha256);
        Assert.Equal(bytes, await ReadAllAsync(key));
        EvidenceObjectInfo? stored = await Store.GetInfoAsync(key, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(Sha256Of(bytes), stored.Sha256);
    }

    [Fact]
    public async Task An_empty_object_is_stored()
    {
        EvidenceObjectKey key = Key("rec-empty", "empty.bin");

        EvidenceObjectInfo info = await Store.PutAsync(key, new MemoryStream(), null, CancellationToken.None);

        Assert.Equal(0, info.Size);
        Assert.Empty(await ReadAllAsync(key));
    }

    [Fact]
    public async Task A_put_whose_bytes_do_not_match_the_given_hash_stores_nothing()
    {
        byte[] bytes = Bytes(5_000, 2);
        EvidenceObjectKey key = Key("rec-bad-hash", "segment-000001.rseg");

        var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            Store.PutAsync(key, new MemoryStream(bytes), Sha256Of([1, 2, 3]), CancellationToken.None));

        Assert.Equal(EvidenceStoreError.IntegrityMismatch, failure.Error);
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        Assert.Empty(await Store.ListAsync("rec-bad-hash", CancellationToken.None));
    }

    [Fact]
    public async Task Putting_the_same_bytes_again_is_harmless_and_different_bytes_are_refused()
    {
        byte[] bytes = Bytes(3_000, 3);
        EvidenceObjectKey key = Key("rec-once", "manifest.json");
        await Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None);

        EvidenceObjectInfo again = await Store.PutAsync(key, new MemoryStream(bytes), Sha256Of(bytes), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            Store.PutAsync(key, new MemoryStream(Bytes(3_000, 4)), null, CancellationToken.None));

        Assert.Equal(Sha256Of(bytes), again.Sha256);
        Assert.Equal(EvidenceStoreError.AlreadyExists, refused.Error);
        Assert.Equal(bytes, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Reading_a_missing_object_says_not_found()
    {
        var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            Store.OpenReadAsync(Key("rec-none", "nothing.bin"), CancellationToken.None));

        Assert.Equal(EvidenceStoreError.NotFound, failure.Error);
        Assert.False(failure.IsTransient);
        Assert.Null(await Store.GetInfoAsync(Key("rec-none", "nothing.bin"), CancellationToken.None));
    }

    [Fact]
    public async Task A_recording_lists_its_objects_by_name_and_nothing_of_others()
    {
        byte[] a = Bytes(10, 5);
        byte[] b = Bytes(20, 6);
        await Store.PutAsync(Key("rec-list", "segment-000002.rseg"), new MemoryStream(b), null, CancellationToken.None);
        await Store.PutAsync(Key("rec-list", "segment-000001.rseg"), new MemoryStream(a), null, CancellationToken.None);
        await Store.PutAsync(Key("rec-list-other", "segment-000001.rseg"), new MemoryStream(a), null, CancellationToken.None);

        IReadOnlyList<EvidenceObjectInfo> listed = await Store.ListAsync("rec-list", CancellationToken.None);

        Assert.Equal(["segment-000001.rseg", "segment-000002.rseg"], listed.Select(o => o.Key.Name));
        Assert.Equal([10L, 20L], listed.Select(o => o.Size));
        Assert.Equal(Sha256Of(a), listed[0].Sha256);
        Assert.All(listed, o => Assert.False(o.LegalHold));
        Assert.Empty(await Store.ListAsync("rec-list-none", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        EvidenceObjectKey key = Key("rec-delete", "segment-000001.rseg");
        await Store.PutAsync(key, new MemoryStream(Bytes(100, 7)), null, CancellationToken.None);

        await Store.DeleteAsync(key, Disposal, CancellationToken.None);

        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        Assert.Empty(await Store.ListAsync("rec-delete", CancellationToken.None));
        var again = await Assert.ThrowsAsync<EvidenceStoreException>(() => Store.DeleteAsync(key, Disposal, CancellationToken.None));
        Assert.Equal(EvidenceStoreError.NotFound, again.Error);
    }

    [Fact]
    public async Task Legal_hold_blocks_delete_until_it_is_lifted()
    {
        EvidenceObjectKey key = Key("rec-hold", "segment-000001.rseg");
        await Store.PutAsync(key, new MemoryStream(Bytes(100, 8)), null, CancellationToken.None);

        await Store.SetLegalHoldAsync("rec-hold", true, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() => Store.DeleteAsync(key, Disposal, CancellationToken.None));

        Assert.Equal(EvidenceStoreError.LegalHold, refused.Error);
        Assert.False(refused.IsTransient);
        Assert.True(await Store.IsUnderLegalHoldAsync("rec-hold", CancellationToken.None));
        Assert.True((await Store.ListAsync("rec-hold", CancellationToken.None)).Single().LegalHold);
        Assert.NotNull(await Store.GetInfoAsync(key, CancellationToken.None));

        await Store.SetLegalHoldAsync("rec-hold", false, CancellationToken.None);
        await Store.DeleteAsync(key, Disposal, CancellationToken.None);

        Assert.False(await Store.IsUnderLegalHoldAsync("rec-hold", CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task A_hold_placed_before_any_object_covers_objects_stored_later()
    {
        await Store.SetLegalHoldAsync("rec-hold-early", true, CancellationToken.None);
        EvidenceObjectKey key = Key("rec-hold-early", "manifest.json");

        EvidenceObjectInfo info = await Store.PutAsync(key, new MemoryStream(Bytes(10, 9)), null, CancellationToken.None);

        Assert.True(info.LegalHold);
        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() => Store.DeleteAsync(key, Disposal, CancellationToken.None));
        Assert.Equal(EvidenceStoreError.LegalHold, refused.Error);
    }

    [Fact]
    public async Task Setting_and_lifting_a_hold_twice_is_harmless()
    {
        await Store.SetLegalHoldAsync("rec-hold-twice", true, CancellationToken.None);
        await Store.SetLegalHoldAsync("rec-hold-twice", true, CancellationToken.None);
        Assert.True(await Store.IsUnderLegalHoldAsync("rec-hold-twice", CancellationToken.None));

        await Store.SetLegalHoldAsync("rec-hold-twice", false, CancellationToken.None);
        await Store.SetLegalHoldAsync("rec-hold-twice", false, CancellationToken.None);
        Assert.False(await Store.IsUnderLegalHoldAsync("rec-hold-twice", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_puts_of_different_objects_all_arrive_intact()
    {
        byte[][] contents = [.. Enumerable.Range(0, 16).Select(i => Bytes(20_000 + i, 100 + i))];

        await Task.WhenAll(contents.Select((bytes, i) => Task.Run(() =>
            Store.PutAsync(Key("rec-concurrent", $"segment-{i:D6}.rseg"), new MemoryStream(bytes), Sha256Of(bytes), CancellationToken.None))));

        IReadOnlyList<EvidenceObjectInfo> listed = await Store.ListAsync("rec-concurrent", CancellationToken.None);
        Assert.Equal(contents.Length, listed.Count);
        for (int i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], await ReadAllAsync(Key("rec-concurrent", $"segment-{i:D6}.rseg")));
        }
    }

    [Fact]
    public async Task Concurrent_puts_of_one_key_leave_exactly_one_whole_object()
    {
        if (!EnforcesWriteOnceUnderRace)
        {
            return;
        }

        // Many rounds of small objects, so the writers finish together: a check-then-rename race (File.Move's
        // own, which let two puts both succeed in CI) failed within 300 rounds every time it was tried.
        for (int round = 0; round < 300; round++)
        {
            byte[][] contents = [.. Enumerable.Range(0, 8).Select(i => Bytes(100, 200 + (round * 8) + i))];
            EvidenceObjectKey key = Key("rec-race", $"segment-{round:D6}.rseg");

            Task<EvidenceObjectInfo>[] puts = [.. contents.Select(bytes => Task.Run(() =>
                Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None)))];
            try
            {
                await Task.WhenAll(puts);
            }
            catch (EvidenceStoreException)
            {
            }

            byte[] stored = await ReadAllAsync(key);
            Assert.Contains(contents, c => c.AsSpan().SequenceEqual(stored));
            EvidenceObjectInfo winner = await Assert.Single(puts, p => p.IsCompletedSuccessfully);
            foreach (Task<EvidenceObjectInfo> loser in puts.Where(p => !p.IsCompletedSuccessfully))
            {
                var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() => loser);
                Assert.Equal(EvidenceStoreError.AlreadyExists, refused.Error);
            }

            Assert.Equal(Sha256Of(stored), winner.Sha256);
        }
    }

    [Fact]
    public async Task A_healthy_store_says_so()
    {
        PluginHealth health = await Store.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.Healthy, health.Detail);
    }

    [Fact]
    public async Task A_text_manifest_round_trips_byte_for_byte()
    {
        byte[] manifest = Encoding.UTF8.GetBytes("{\"recording\":\"rec-manifest\",\"segments\":[]}\n");
        EvidenceObjectKey key = Key("rec-manifest", "manifest.json");

        await Store.PutAsync(key, new MemoryStream(manifest), Sha256Of(manifest), CancellationToken.None);

        Assert.Equal(manifest, await ReadAllAsync(key));
    }
}
