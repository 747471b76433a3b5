using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Sms.Outbox;
using Relay.Plugins.Tests.Support;
using Relay.Testing.Time;

namespace Relay.Plugins.Tests.Sms.Outbox;

public sealed class OutboxSmsSenderTests : IDisposable
{
    private static readonly HttpClient s_http = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "relay-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Send_AppendsTheMessageUnderTheDataDirectoryAndItIsDeliveredAtOnce()
    {
        ISmsSender sender = Sender();

        SmsSendResult first = await sender.SendAsync(new SmsMessage("+447700900123", "Open https://relay.example/c/abc", "session-1"), default);
        _time.Advance(TimeSpan.FromSeconds(5));
        SmsSendResult second = await sender.SendAsync(new SmsMessage("+447700900456", "Agor \"y\" ddolen\nhttps://relay.example/c/def", "session-2"), default);

        Assert.True(first.Accepted);
        Assert.Equal(SmsDeliveryState.Delivered, first.State);
        string path = Path.Combine(_dataDirectory, OutboxReader.DefaultFileName);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"to\":\"+447700900123\"", lines[0], StringComparison.Ordinal);
        IReadOnlyList<OutboxEntry> entries = new OutboxReader(path).ReadAll();
        Assert.Equal(
            [
                new OutboxEntry(first.ProviderMessageId!, new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), "+447700900123", "Open https://relay.example/c/abc", "session-1"),
                new OutboxEntry(second.ProviderMessageId!, new DateTimeOffset(2026, 12, 1, 16, 0, 5, TimeSpan.Zero), "+447700900456", "Agor \"y\" ddolen\nhttps://relay.example/c/def", "session-2"),
            ],
            entries);
        Assert.Equal("session-2", new OutboxReader(path).FindLastTo("+447700900456")?.Reference);
        Assert.Equal("+447700900123", new OutboxReader(path).FindLastByReference("session-1")?.To);

        SmsDeliveryReport report = await sender.GetDeliveryStatusAsync(first.ProviderMessageId!, default);
        Assert.Equal(SmsDeliveryState.Delivered, report.State);
        Assert.Equal(entries[0].At, report.At);
        Assert.Equal(SmsDeliveryState.Unknown, (await sender.GetDeliveryStatusAsync("outbox-unknown", default)).State);
    }

    [Fact]
    public async Task Send_ToAConfiguredPath_WritesThere()
    {
        string path = Path.Combine(_dataDirectory, "elsewhere", "texts.jsonl");

        await Sender(path).SendAsync(new SmsMessage("+447700900123", "hello", "session-1"), default);

        Assert.Equal("hello", Assert.Single(new OutboxReader(path).ReadAll()).Body);
    }

    [Fact]
    public async Task Send_ConcurrentMessages_EachGetAWholeLine()
    {
        ISmsSender sender = Sender();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => sender.SendAsync(new SmsMessage("+44770090" + i.ToString("D4", null), "body " + i, "session-" + i), default)));

        IReadOnlyList<OutboxEntry> entries = new OutboxReader(Path.Combine(_dataDirectory, OutboxReader.DefaultFileName)).ReadAll();
        Assert.Equal(50, entries.Count);
        Assert.Equal(50, entries.Select(static e => e.Reference).Distinct().Count());
    }

    [Fact]
    public void Reader_SkipsLinesThatCannotBeRead()
    {
        Directory.CreateDirectory(_dataDirectory);
        string path = Path.Combine(_dataDirectory, "outbox.jsonl");
        File.WriteAllText(path, """
            {"id":"outbox-1","at":"2026-12-01T16:00:00.0000000Z","to":"+447700900123","body":"one","reference":"s1"}
            not json
            {"id":"outbox-2","at":"yesterday","to":"+447700900123","body":"two","reference":"s2"}

            {"id":"outbox-3","at":"2026-12-01T16:00:01.0000000Z","to":"+447700900123","body":"three","reference":"s3"}
            {"id":"outbox-4","at":"2026-12-01T16:0
            """);

        Assert.Equal(["one", "three"], new OutboxReader(path).ReadAll().Select(static e => e.Body));
        Assert.Empty(new OutboxReader(Path.Combine(_dataDirectory, "none.jsonl")).ReadAll());
    }

    [Fact]
    public async Task Health_SaysWhereMessagesGoAndThatNoneReachAPhone()
    {
        PluginHealth health = await Sender().CheckHealthAsync(default);

        Assert.True(health.Healthy);
        Assert.Contains(_dataDirectory, health.Detail, StringComparison.Ordinal);
        Assert.Contains("none reach a phone", health.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WhenTheOutboxCannotBeWritten_IsRefusedWithThePath()
    {
        Directory.CreateDirectory(_dataDirectory);
        string blocked = Path.Combine(_dataDirectory, "a-file");
        await File.WriteAllTextAsync(blocked, "");

        SmsSendResult result = await Sender(Path.Combine(blocked, "outbox.jsonl")).SendAsync(new SmsMessage("+447700900123", "hello", "s"), default);

        Assert.False(result.Accepted);
        Assert.Contains(blocked, result.Error, StringComparison.Ordinal);
    }

    private ISmsSender Sender(string? path = null) =>
        BuiltProviders.CreateSender("outbox", new() { ["DataDirectory"] = _dataDirectory, ["Path"] = path }, s_http, _time);
}
