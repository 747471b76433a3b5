using Relay.Load;

// The load suite: synthetic publishers and viewers through a real relay over loopback.
// Usage: dotnet run --project load/Relay.Load -c Release -- --publishers 10 --viewers 10 --duration 60
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource(options.WarmUp + options.Duration + TimeSpan.FromMinutes(2));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

RelayProcess? relay = null;
try
{
    Uri url;
    int? relayProcessId = options.RelayProcessId;
    if (options.RelayUrl is null)
    {
        relay = await RelayProcess.StartAsync(options.RelayDll ?? RelayProcess.BuiltRelayDll, options.ApiKey, options.RelayArguments, cancel.Token, options.RelayCpus);
        url = relay.Url;
        relayProcessId = relay.Id;
    }
    else
    {
        url = options.RelayUrl;
    }

    using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    LoadReport report = await new LoadRun(options, new SignallingClient(http, options.ApiKey), relayProcessId).RunAsync(cancel.Token);
    Console.WriteLine(report);
    Console.WriteLine();
    Console.WriteLine(LoadReport.MarkdownHeader);
    Console.WriteLine(report.ToMarkdownRow());
    if (options.ResultsFile is string results)
    {
        await File.AppendAllTextAsync(results, report.ToMarkdownRow() + Environment.NewLine, cancel.Token);
    }

    return report.ForwardedPacketsPerSecond > 0 ? 0 : 1;
}
catch (Exception e) when (e is HttpRequestException or InvalidDataException or TimeoutException or InvalidOperationException or FileNotFoundException or OperationCanceledException)
{
    Console.Error.WriteLine("load run failed: " + e.Message);
    return 1;
}
finally
{
    relay?.Dispose();
}
