using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Sms.Outbox;

/// <summary>Appends each message to the outbox file as one JSON line; "delivered" at once, since the outbox is its destination.</summary>
internal sealed class OutboxSmsSender(string path, TimeProvider time) : ISmsSender, IDisposable
{
    // The outbox is read by people and tools, never embedded in a page: keep "+447..." and non-ASCII text readable.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public string FilePath { get; } = path;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        string id = "outbox-" + Guid.NewGuid().ToString("N");
        byte[] line = Serialize(new OutboxEntry(id, time.GetUtcNow(), message.To, message.Body, message.Reference));
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SmsSendResult.Refused($"The SMS outbox {FilePath} cannot be written ({e.Message}). An engineer should check the relay's data directory.", retryable: true);
        }
        finally
        {
            _writeLock.Release();
        }

        return SmsSendResult.Sent(id, SmsDeliveryState.Delivered);
    }

    public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken)
    {
        OutboxEntry? entry = new OutboxReader(FilePath).ReadAll().LastOrDefault(e => string.Equals(e.Id, providerMessageId, StringComparison.Ordinal));
        return Task.FromResult(entry is null
            ? new SmsDeliveryReport(SmsDeliveryState.Unknown, $"No message {providerMessageId} in the outbox {FilePath}.", null)
            : new SmsDeliveryReport(SmsDeliveryState.Delivered, $"Written to the outbox {FilePath}; outbox messages never reach a phone.", entry.At));
    }

    public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            using (new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            return Task.FromResult(PluginHealth.Ok($"Messages are written to {FilePath}; none reach a phone."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(PluginHealth.Failing($"The SMS outbox {FilePath} cannot be written ({e.Message})."));
        }
    }

    public void Dispose() => _writeLock.Dispose();

    private static byte[] Serialize(OutboxEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", entry.Id);
            writer.WriteString("at", entry.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("to", entry.To);
            writer.WriteString("body", entry.Body);
            writer.WriteString("reference", entry.Reference);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
