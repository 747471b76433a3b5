using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The Evidence pages in Chromium against the real relay, over an item made by a real recording (a
/// GStreamer publisher on a caller's session): found by search, opened (audited as a view), held and
/// released with reasons, reviewed, and exported as a bundle that <c>Relay.Server verify</c> accepts.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalEvidenceTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task AnEvidenceManagerFindsARecordingHoldsReviewsAndExportsABundleThatVerifies()
    {
        await relay.EnsureUsersAsync(chromium);
        RelaySession session = await relay.Server.CreateSessionAsync();
        await using (GStreamerPublisher publisher = GStreamerPublisher.Start(relay.Server, session, TimeSpan.FromSeconds(3), "portal-evidence-publisher"))
        {
            await publisher.WaitUntilConnectedAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, await publisher.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // Ending the session ends its stream at once (rather than after the publisher's grace period), which closes the recording.
        using (var end = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{session.Id}"))
        {
            end.Headers.Authorization = new AuthenticationHeaderValue("Bearer", relay.Server.ApiKey);
            using HttpResponseMessage endAnswer = await relay.Server.Http.SendAsync(end);
            Assert.True(endAnswer.IsSuccessStatusCode, $"DELETE /api/sessions/{session.Id} answered {(int)endAnswer.StatusCode}.");
        }

        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.EvidenceManager, Password);
        await PortalBrowser.OpenAsync(page, "/portal/evidence");
        await page.GetByLabel("Incident reference").FillAsync("E2E-1");
        await page.GetByLabel("Officer (sign-in name)").FillAsync("end-to-end");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        ILocator row = page.Locator($"#evidence-items tr[data-item='{session.Id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("th")).ToHaveTextAsync("E2E-1");
        await PortalBrowser.ScreenshotAsync(page, "evidence");
        await axe.CheckAsync(page, "evidence search");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/portal/evidence/{session.Id}");
        await Assertions.Expect(page.Locator("#item-id")).ToHaveTextAsync(session.Id);

        // The recording closes (its manifest signed) shortly after the session ends; each reload is another audited view.
        ILocator ended = page.Locator("#item-recordings tbody tr .ended").First;
        var stopwatch = Stopwatch.StartNew();
        while (await ended.InnerTextAsync() == "recording" && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(500);
            await PortalBrowser.OpenAsync(page, $"/portal/evidence/{session.Id}");
            await Assertions.Expect(page.Locator("#item-id")).ToHaveTextAsync(session.Id);
        }

        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", await ended.InnerTextAsync());
        Assert.Matches("^[0-9a-f]{64}$", await page.Locator("#item-recordings tbody tr .hash").First.InnerTextAsync());

        await page.GetByLabel("Reason for placing the hold").FillAsync("Court order 123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place legal hold" }).ClickAsync();
        await Assertions.Expect(page.Locator("#item-hold")).ToContainTextAsync("Court order 123");
        await Assertions.Expect(page.Locator("#item-message")).ToContainTextAsync("Placed the legal hold");
        await axe.CheckAsync(page, "evidence item held");
        await page.GetByLabel("Reason for lifting the hold").FillAsync("Order discharged");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lift legal hold" }).ClickAsync();
        await Assertions.Expect(page.Locator("#item-hold")).ToHaveTextAsync("none");

        await page.GetByLabel("Decision", new() { Exact = true }).SelectOptionAsync("retain");
        await page.GetByLabel("Reason for the decision").FillAsync("Needed for the trial");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record review" }).ClickAsync();
        ILocator review = page.Locator("#item-reviews tbody tr");
        await Assertions.Expect(review).ToHaveCountAsync(1);
        await Assertions.Expect(review.Locator("td").Nth(1)).ToHaveTextAsync(PortalRelayFixture.EvidenceManager);
        await Assertions.Expect(review.Locator("td").Nth(3)).ToHaveTextAsync("Needed for the trial");

        await page.GetByLabel("Reason for the export").FillAsync("Disclosure to the CPS");
        await page.GetByLabel(new System.Text.RegularExpressions.Regex("^Recipient")).FillAsync("Crown Prosecution Service");
        IDownload download = await page.RunAndWaitForDownloadAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Export bundle" }).ClickAsync());
        string zip = Path.Combine(Repository.Artifacts, $"portal-evidence-{session.Id}.zip");
        await download.SaveAsAsync(zip);
        await Assertions.Expect(page.Locator("#item-message")).ToContainTextAsync("Exported");
        await PortalBrowser.ScreenshotAsync(page, "evidence-item");
        await axe.CheckAsync(page, "evidence item after export");
        (int exit, string output) = await VerifyAsync(zip);
        Assert.True(exit == 0, $"Relay.Server verify answered {exit}:\n{output}");

        // Each change is in the audit log under the evidence manager's name, as the HTTP API records it.
        await PortalBrowser.OpenAsync(page, "/portal/audit");
        await page.GetByLabel("Subject (session, user)").FillAsync(session.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        foreach (string action in (string[])["view", "alteration", "review", "export", "disclosure"])
        {
            ILocator entry = page.Locator("#audit-rows tbody tr", new() { Has = page.Locator("td:nth-child(4)", new() { HasTextString = action }) });
            await Assertions.Expect(entry.Locator("td:nth-child(3)").First).ToHaveTextAsync(PortalRelayFixture.EvidenceManager);
        }

        axe.AssertClean();
    }

    private static async Task<(int Exit, string Output)> VerifyAsync(string zip)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Repository.ServerAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Repository.ServerAssembly);
        info.ArgumentList.Add("verify");
        info.ArgumentList.Add(zip);
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
