using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Relay.Control.Audit;
using Relay.Control.Chat;
using Relay.Control.Evidence;
using Relay.Control.Sessions;
using Relay.Recording.Bundles;
using Relay.Server.Audit;
using Relay.Server.Recording;

namespace Relay.Server.Evidence.Export;

/// <summary>
/// Makes the bundles the export endpoints send: each item's documents (its session record, the
/// catalogue's record, the audit entries about it and its recordings) and recordings, written to a
/// temporary file signed with the node's evidence key (with the session's whole chat from <see cref="ChatHistory"/>'s
/// table); then the audit entries for the export or
/// disclosure, which name the bundle's SHA-256. A bundle whose audit entries cannot be written is not
/// handed out.
/// </summary>
internal sealed partial class EvidenceBundleService(
    RecordingService recordings, EvidenceRecordingReader reader, IAuditLog audit, ISessionStore sessions, ChatHistory chat, TimeProvider time, ILogger<EvidenceBundleService> logger)
{
    /// <summary>The recipient recorded for a subject access disclosure.</summary>
    public const string DataSubject = "the data subject (subject access request)";

    /// <summary>The subject access action (one entry per request, besides a disclosure per item).</summary>
    public const string SubjectAccessAction = AuditActions.SubjectAccess;

    private static readonly JsonWriterOptions s_json = new() { Indented = true };

    /// <summary>The item's bundle, or null if the audit entries could not be written (then nothing may be sent).</summary>
    public async Task<Stream?> ExportAsync(string actor, EvidenceItem item, string reason, string? recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        CallSession? session = await sessions.FindAsync(item.Id, cancellationToken).ConfigureAwait(false);
        BundleItem bundleItem = await ItemAsync(item.Id, item, session, cancellationToken).ConfigureAwait(false);
        var bundle = new EvidenceBundle(EvidenceBundle.ExportPurpose, actor, time.GetUtcNow(), recipient, [bundleItem]);
        (FileStream file, string sha256, BundleSummary summary) = await WriteAsync(bundle, cancellationToken).ConfigureAwait(false);
        var details = Details(sha256, file.Length, summary);
        details["recordings"] = item.Recordings.Count.ToString(CultureInfo.InvariantCulture);
        bool recorded = await AppendAsync(new AuditEntry(AuditActions.Export, actor, item.Id, reason, null, details)).ConfigureAwait(false)
            && (recipient is null || await AppendAsync(new AuditEntry(AuditActions.Disclosure, actor, item.Id, reason, recipient, details)).ConfigureAwait(false));
        return recorded ? file : await DiscardAsync(file).ConfigureAwait(false);
    }

    /// <summary>Everything held for <paramref name="phone"/>, or null if the audit entries could not be written.</summary>
    public async Task<Stream?> SubjectAccessAsync(string actor, string phone, string reason, IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var byId = new SortedDictionary<string, (EvidenceItem? Item, CallSession? Session)>(StringComparer.Ordinal);
        foreach (EvidenceItem item in items)
        {
            byId[item.Id] = (item, null);
        }

        // Sessions that never recorded (a link not used, location only) are held too.
        foreach (CallSession session in await sessions.ListAsync(int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (session.Phone == phone)
            {
                byId[session.Id] = (byId.GetValueOrDefault(session.Id).Item, session);
            }
        }

        var bundleItems = new List<BundleItem>();
        foreach ((string id, (EvidenceItem? item, CallSession? session)) in byId)
        {
            CallSession? record = session ?? await sessions.FindAsync(id, cancellationToken).ConfigureAwait(false);
            bundleItems.Add(await ItemAsync(id, item, record, cancellationToken).ConfigureAwait(false));
        }

        var bundle = new EvidenceBundle(EvidenceBundle.SubjectAccessPurpose, actor, time.GetUtcNow(), DataSubject, bundleItems);
        (FileStream file, string sha256, BundleSummary summary) = await WriteAsync(bundle, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string> details = Details(sha256, file.Length, summary);
        details["phone"] = AuditTrail.MaskPhone(phone);
        details["items"] = bundleItems.Count.ToString(CultureInfo.InvariantCulture);
        bool recorded = await AppendAsync(new AuditEntry(SubjectAccessAction, actor, null, reason, DataSubject, details)).ConfigureAwait(false);
        foreach (BundleItem item in bundleItems)
        {
            recorded = recorded && await AppendAsync(new AuditEntry(AuditActions.Disclosure, actor, item.Id, reason, DataSubject, Details(sha256, file.Length, summary))).ConfigureAwait(false);
        }

        return recorded ? file : await DiscardAsync(file).ConfigureAwait(false);
    }

    private async Task<BundleItem> ItemAsync(string id, EvidenceItem? item, CallSession? session, CancellationToken cancellationToken)
    {
        var documents = new List<BundleDocument>();
        if (session is not null)
        {
            documents.Add(new BundleDocument("session.json", SessionJson(session), "the session as the relay keeps it: incident, caller's number, who created it, when it started and ended"));
        }

        if (item is not null)
        {
            documents.Add(new BundleDocument("item.json", ItemJson(item), "the evidence catalogue's record: retention category, next review, legal hold, recordings and where they are stored"));
        }

        IReadOnlyList<ChatMessage> messages = chat.All(id);
        if (messages.Count > 0)
        {
            documents.Add(new BundleDocument("chat.json", ChatJson(messages), $"the session's chat between the caller and officers ({messages.Count} messages, oldest first)"));
        }

        documents.Add(new BundleDocument("audit.json", await AuditJsonAsync(id, item, cancellationToken).ConfigureAwait(false), "the audit log's entries about this item and its recordings (who collected, viewed, exported, disclosed it), with each row's chain hash"));
        var objects = new List<IRecordingObjects>();
        foreach (EvidenceRecording recording in item?.Recordings ?? [])
        {
            objects.Add(reader.Open(recording));
        }

        string title = item is not null
            ? $"incident {item.Incident}, from {item.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            : session is not null ? $"incident {session.Incident}, session created {session.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC (nothing recorded)" : "session " + id;
        return new BundleItem(id, title, documents, objects);
    }

    private async Task<(FileStream File, string Sha256, BundleSummary Summary)> WriteAsync(EvidenceBundle bundle, CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetTempPath(), "relay-export-" + Guid.NewGuid().ToString("N") + ".zip");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            BundleSummary summary = await new EvidenceBundleWriter(recordings.SigningKey).WriteAsync(bundle, file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            byte[] sha256 = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return (file, Convert.ToHexStringLower(sha256), summary);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Dictionary<string, string> Details(string sha256, long bytes, BundleSummary summary)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bundleSha256"] = sha256,
            ["bytes"] = bytes.ToString(CultureInfo.InvariantCulture),
            ["files"] = summary.Files.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (summary.Notes.Count > 0)
        {
            details["notIncluded"] = string.Join(" ", summary.Notes);
        }

        return details;
    }

    private async Task<byte[]> AuditJsonAsync(string id, EvidenceItem? item, CancellationToken cancellationToken)
    {
        var subjects = new List<string> { id };
        foreach (EvidenceRecording recording in item?.Recordings ?? [])
        {
            subjects.Add(recording.RecordingId.ToString("D"));
        }

        var rows = new SortedDictionary<long, AuditRecord>();
        foreach (string subject in subjects)
        {
            long after = 0;
            while (true)
            {
                IReadOnlyList<AuditRecord> page = await audit.QueryAsync(new AuditQuery { Subject = subject, AfterSequence = after, Limit = AuditQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
                foreach (AuditRecord row in page)
                {
                    rows[row.Sequence] = row;
                }

                if (page.Count < AuditQuery.MaxLimit)
                {
                    break;
                }

                after = page[^1].Sequence;
            }
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartArray();
            foreach (AuditRecord row in rows.Values)
            {
                json.WriteStartObject();
                json.WriteNumber("sequence", row.Sequence);
                json.WriteString("time", row.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("actor", row.Actor);
                json.WriteString("action", row.Action);
                json.WriteString("subject", row.Subject);
                json.WriteString("reason", row.Reason);
                json.WriteString("recipient", row.Recipient);
                json.WriteStartObject("details");
                foreach ((string key, string value) in row.Details)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                json.WriteString("previousHash", row.PreviousHash);
                json.WriteString("hash", row.Hash);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static byte[] ChatJson(IReadOnlyList<ChatMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartArray();
            foreach (ChatMessage message in messages)
            {
                json.WriteStartObject();
                json.WriteString("time", message.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("from", message.From == ChatSender.Caller ? "caller" : "officer");
                json.WriteString("author", message.Author);
                json.WriteString("text", message.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static byte[] SessionJson(CallSession session)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartObject();
            json.WriteString("id", session.Id);
            json.WriteString("incident", session.Incident);
            json.WriteString("phone", session.Phone);
            json.WriteString("mode", session.Mode == SessionMode.Video ? "video" : "location");
            json.WriteBoolean("audio", session.Audio);
            json.WriteString("retention", session.Retention);
            json.WriteString("createdAt", session.CreatedAt);
            json.WriteString("createdBy", session.CreatedBy);
            json.WriteString("state", session.State.ToString());
            WriteTime(json, "startedAt", session.StartedAt);
            WriteTime(json, "endedAt", session.EndedAt);
            json.WriteString("endedBy", session.EndedBy);
            json.WriteString("sms", SessionSms.ToText(session.Sms.State));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] ItemJson(EvidenceItem item)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartObject();
            json.WriteString("id", item.Id);
            json.WriteString("incident", item.Incident);
            json.WriteString("phone", item.Phone);
            json.WriteString("createdBy", item.CreatedBy);
            json.WriteString("createdAt", item.CreatedAt);
            json.WriteString("category", item.Category);
            json.WriteString("nextReviewAt", item.NextReviewAt);
            if (item.LegalHold is { } hold)
            {
                json.WriteStartObject("legalHold");
                json.WriteString("placedBy", hold.PlacedBy);
                json.WriteString("placedAt", hold.PlacedAt);
                json.WriteString("reason", hold.Reason);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("legalHold");
            }

            json.WriteStartArray("recordings");
            foreach (EvidenceRecording recording in item.Recordings)
            {
                json.WriteStartObject();
                json.WriteString("recordingId", recording.RecordingId.ToString("D"));
                json.WriteString("nodeId", recording.NodeId);
                json.WriteString("startedAt", recording.StartedAt);
                WriteTime(json, "endedAt", recording.Closed?.EndedAt);
                json.WriteString("manifestSha256", recording.Closed?.ManifestSha256);
                json.WriteString("store", recording.Store);
                WriteTime(json, "storedAt", recording.StoredAt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static async Task<Stream?> DiscardAsync(FileStream file)
    {
        await file.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    // Not the request's token: the bundle exists; its record is written even if the client went away.
    [SuppressMessage("Design", "CA1031", Justification = "A failed append withholds the bundle; the failure is logged.")]
    private async Task<bool> AppendAsync(AuditEntry entry)
    {
        try
        {
            await audit.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            Log.AppendFailed(logger, entry.Action, entry.Actor, entry.Subject ?? "", e);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1540, Level = LogLevel.Error, Message = "Evidence export: could not record {Action} by {Actor} on {Subject}; the bundle was not sent")]
        public static partial void AppendFailed(ILogger logger, string action, string actor, string subject, Exception exception);
    }
}
