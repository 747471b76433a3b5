using System.Reflection;
using Relay.Control.Audit;

namespace Relay.Control.Tests.Audit;

public sealed class AuditActionsTests
{
    [Fact]
    public void AllHoldsEveryActionConstantOnce_InLowerCaseWithHyphens()
    {
        string[] constants = [.. typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral)
            .Select(static f => (string)f.GetRawConstantValue()!)];

        Assert.Equal(constants, AuditActions.All);
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(AuditActions.All, static action => Assert.Matches("^[a-z]+(-[a-z]+)*$", action));
        Assert.Contains("tuning-change", AuditActions.All);
        Assert.Contains("plugin-setting-change", AuditActions.All);
    }

    [Fact]
    public void NoActionLiteralIsWrittenOutsideAuditActions()
    {
        // Every place that names an action refers to AuditActions, so All cannot miss one the code writes.
        string root = FindRepository();
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "core"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "portal"), "*.cs", SearchOption.AllDirectories)))
        {
            if (file.EndsWith(Path.Combine("Audit", "AuditActions.cs"), StringComparison.Ordinal) || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            foreach (string action in AuditActions.All)
            {
                if (text.Contains($"Action = \"{action}\"", StringComparison.Ordinal) || text.Contains($"new AuditEntry(\"{action}\"", StringComparison.Ordinal))
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}: {action}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    private static string FindRepository()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Relay.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Relay.sln not found above " + AppContext.BaseDirectory);
    }
}
