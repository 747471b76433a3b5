using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Relay.Server.Tests.Audit;

/// <summary>The verbs as an operator runs them: <c>dotnet Relay.Server.dll ...</c>, before any host is built.</summary>
public sealed class AuditVerifyProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-verbs-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task CreateAdminThenAuditVerify_RunWithoutStartingTheRelay()
    {
        string database = "--Relay:Database:Path=" + Path.Combine(_directory, "relay.db");

        (int created, string createdOutput) = await RunAsync("a long enough passphrase\n", "--create-admin", "chief", database);
        (int verified, string verifiedOutput) = await RunAsync("", "audit", "verify", database);

        Assert.True(created == 0, createdOutput);
        Assert.True(verified == 0, verifiedOutput);
        Assert.Contains("intact: 1 row verified", verifiedOutput, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Relay.Server.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
