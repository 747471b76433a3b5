using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The end of an evidence item's life through the browser, against the real file-system store: an evidence manager
/// recategorises a recorded item, then decides to dispose of it; the relay's disposal run deletes the stored objects
/// (leaving tombstones), the item leaves the catalogue, and the audit log holds every step.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalDisposalTests(ChromiumFixture chromium, PortalDisposalRelayFixture relay) : IClassFixture<PortalDisposalRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;
    private const string Tombstones = ".tombstones.jsonl";

    [Fact(Timeout = 3 * TestTimeouts.Test)]
    public async Task AnEvidenceManagerRecategorisesThenDisposesAndTheDisposalRunDeletesTheStoredObjects()
    {
        await relay.CreateEvidenceManagerAsync(chromium);
        RelaySession session = await relay.Server.CreateSessionAsync();
        // The session ends while GStreamer is still publishing (ending it ends the stream and closes the recording);
        // its long duration only leaves room for a slow start on a loaded machine.
        await using (GStreamerPublisher publisher = GStreamerPublisher.Start(relay.Server, session, TimeSpan.FromSeconds(60), "portal-disposal-publisher"))
        {
            await publisher.WaitUntilConnectedAsync(TimeSpan.FromSeconds(45));
            await Task.Delay(TimeSpan.FromSeconds(3));
            using var end = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{session.Id}");
            end.Headers.Authorization = new AuthenticationHeaderValue("Bearer", relay.Server.ApiKey);
            using HttpResponseMessage endAnswer = await relay.Server.Http.SendAsync(end);
            Assert.True(endAnswer.IsSuccessStatusCode, $"DELETE /api/sessions/{session.Id} answered {(int)endAnswer.StatusCode}.");
        }

        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalDisposalRelayFixture.EvidenceManager, Password);

        // Wait until the recording is in the store (a recording not yet stored is never disposed of).
        ILocator stored = page.Locator("#item-recordings tbody tr td:last-child").First;
        var stopwatch = Stopwatch.StartNew();
        do
        {
            await PortalBrowser.OpenAsync(page, $"/portal/evidence/{session.Id}");
            await Assertions.Expect(page.Locator("#item-id")).ToHaveTextAsync(session.Id);
            if ((await stored.InnerTextAsync()).StartsWith("filesystem, ", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(500);
        }
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30));

        await Assertions.Expect(stored).ToContainTextAsync("filesystem, ");
        string recording = (await page.Locator("#item-recordings tbody tr").First.GetAttributeAsync("data-recording"))!;
        string directory = Path.Combine(relay.StoreRoot, recording);
        Assert.Contains(Directory.GetFiles(directory), static file => Path.GetFileName(file) == "manifest.json");

        await Assertions.Expect(page.Locator("#item-category")).ToHaveTextAsync("not-needed");
        await page.GetByLabel("Decision", new() { Exact = true }).SelectOptionAsync("recategorise");
        await page.GetByLabel("New retention category").SelectOptionAsync("mopi-group-3");
        await page.GetByLabel("Reason for the decision").FillAsync("Now part of a fraud inquiry");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record review" }).ClickAsync();
        await Assertions.Expect(page.Locator("#item-category")).ToHaveTextAsync("mopi-group-3");
        await Assertions.Expect(page.Locator("#item-reviews tbody tr")).ToHaveCountAsync(1);

        await page.GetByLabel("Decision", new() { Exact = true }).SelectOptionAsync("dispose");
        await page.GetByLabel("Reason for the decision").FillAsync("Inquiry closed, no further action");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record review" }).ClickAsync();
        await Assertions.Expect(page.Locator("#item-reviews tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#item-message")).ToContainTextAsync("Recorded the review: dispose.");
        await PortalBrowser.ScreenshotAsync(page, "evidence-dispose-decided");

        // The disposal run comes within a minute (its shortest interval): the store loses the objects, then the
        // item leaves the catalogue.
        await PortalBrowser.OpenAsync(page, "/portal/evidence");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        ILocator row = page.Locator($"#evidence-items tr[data-item='{session.Id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        stopwatch.Restart();
        while (File.Exists(Path.Combine(directory, "manifest.json")) && stopwatch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(1000);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await PortalBrowser.ScreenshotAsync(page, "evidence-disposed");

        // Only the tombstones are left in the store, each naming who disposed of what and why.
        string[] left = Directory.Exists(directory) ? Directory.GetFiles(directory) : [];
        Assert.Equal([Tombstones], left.Select(Path.GetFileName));
        string[] tombstones = File.ReadAllLines(Path.Combine(directory, Tombstones));
        Assert.Contains(tombstones, static line => line.Contains("manifest.json", StringComparison.Ordinal));

        await PortalBrowser.OpenAsync(page, "/portal/audit");
        await page.GetByLabel("Subject (session, user)").FillAsync(session.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator reviews = page.Locator("#audit-rows tbody tr", new() { Has = page.Locator("td:nth-child(4)", new() { HasTextString = "review" }) });
        await Assertions.Expect(reviews).ToHaveCountAsync(2);
        await Assertions.Expect(reviews.Locator("td:nth-child(3)")).ToHaveTextAsync([PortalDisposalRelayFixture.EvidenceManager, PortalDisposalRelayFixture.EvidenceManager]);
        ILocator erasure = page.Locator("#audit-rows tbody tr", new() { Has = page.Locator("td:nth-child(4)", new() { HasTextString = "erasure" }) });
        await Assertions.Expect(erasure).ToHaveCountAsync(1);
        await Assertions.Expect(erasure).ToContainTextAsync("Inquiry closed, no further action");
    }
}
