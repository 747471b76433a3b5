using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Relay.EndToEnd.Tests.Accessibility;

/// <summary>
/// axe-core (Deque) run in the page, limited to the WCAG 2.0, 2.1 and 2.2 A and AA rules. Each
/// check adds what it found to a list, so one run reports every page state's violations at once.
/// </summary>
internal sealed class AxeCheck
{
    private static readonly AxeRunOptions s_wcag22Aa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
        ResultTypes = [ResultType.Violations],
    };

    private readonly StringBuilder _found = new();

    /// <summary>The page states checked, for the failure message and to prove the checks ran.</summary>
    public List<string> Checked { get; } = [];

    public async Task CheckAsync(IPage page, string state)
    {
        ArgumentNullException.ThrowIfNull(page);
        AxeResult result = await page.RunAxe(s_wcag22Aa);
        Checked.Add(state);
        Assert.True(result.Passes.Length > 0, $"axe-core found nothing to check on {state}: it did not run in the page.");
        foreach (AxeResultItem violation in result.Violations)
        {
            _found.Append(state).Append(": ").Append(violation.Id).Append(" (").Append(violation.Impact).Append(") ").Append(violation.Help).Append('\n');
            foreach (AxeResultNode node in violation.Nodes)
            {
                _found.Append("    ").Append(node.Target).Append("  ").Append(node.Html).Append('\n');
                foreach (AxeResultCheck check in (AxeResultCheck[])[.. node.Any ?? [], .. node.All ?? [], .. node.None ?? []])
                {
                    _found.Append("      ").Append(check.Message).Append('\n');
                }
            }
        }
    }

    public void AssertClean()
    {
        Assert.True(_found.Length == 0, $"WCAG 2.2 AA violations (checked {string.Join(", ", Checked)}):\n{_found}");
    }
}
