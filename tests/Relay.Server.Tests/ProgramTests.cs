using System.Diagnostics;

namespace Relay.Server.Tests;

public sealed class ProgramTests
{
    [Fact]
    public async Task Main_ExitsWith2AndListsEveryConfigurationMistake()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Relay.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string arg in new[] { dll, "--urls=http://127.0.0.1:0", "--Relay:Media:Port=70000", "--Relay:ApiKeys:0:Name=cad", "--Relay:ApiKeys:0:Key=short", "--Relay:ApiKeys:0:Role=officer" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            string errors = await stderr;
            await stdout;

            Assert.Equal(2, process.ExitCode);
            Assert.Contains("Relay cannot start; fix its configuration:", errors, StringComparison.Ordinal);
            Assert.Contains("Relay:Media:Port is 70000", errors, StringComparison.Ordinal);
            Assert.Contains("Relay:ApiKeys:0:Key is 5 characters", errors, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Main_ExitsWith2AndNamesTheDatabase_WhenTheDataDirectoryIsUnusable()
    {
        string file = Path.GetTempFileName();
        try
        {
            (int exitCode, string errors) = await RunAsync("--urls=http://127.0.0.1:0", "--Relay:Media:Port=0", "--Relay:DataDirectory=" + file);

            Assert.Equal(2, exitCode);
            Assert.Contains("Relay cannot start: the database '" + Path.Combine(file, "relay.db") + "' cannot be opened", errors, StringComparison.Ordinal);
            Assert.Contains("Relay:DataDirectory", errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Errors)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
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
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            await stdout;
            return (process.ExitCode, await stderr);
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
