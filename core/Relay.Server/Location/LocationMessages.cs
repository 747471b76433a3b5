using System.Buffers;
using System.Text.Json;
using Relay.Control.Chat;
using Relay.Control.Location;

namespace Relay.Server.Location;

/// <summary>
/// The JSON messages the relay sends on the location and chat WebSockets, each written once as
/// UTF-8 and shared by every socket it goes to.
/// <code>
/// {"type":"position","lat","lon","accuracy","heading","speed","time","receivedAt","easting","northing","gridRef"}
/// {"type":"chat","from":"caller"|"officer","author","text","time"}
/// {"type":"state","state":"waiting"|"live"|"reconnecting"|"ended","mode":"video"|"location"}
/// {"type":"snapshot","state","mode","trail":[position...],"chat":[chat...]}   (first message to an officer)
/// {"type":"error","error"}
/// {"type":"withdrawn","message"}   (the officer's access was withdrawn; the socket closes with 4403 after it)
/// </code>
/// </summary>
internal static class LocationMessages
{
    public static byte[] Position(LocationFix fix) => Write(writer => WritePosition(writer, fix));

    public static byte[] Chat(ChatMessage message) => Write(writer => WriteChat(writer, message));

    public static byte[] State(string state, string mode) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "state");
        writer.WriteString("state", state);
        writer.WriteString("mode", mode);
        writer.WriteEndObject();
    });

    public static byte[] Withdrawn() => Write(static writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "withdrawn");
        writer.WriteString("message", "Your access to this session was withdrawn: it is no longer shared with you. Ask a supervisor to share it again if you still need it.");
        writer.WriteEndObject();
    });

    public static byte[] Error(string error) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteString("error", error);
        writer.WriteEndObject();
    });

    public static byte[] Snapshot(string state, string mode, IReadOnlyList<LocationFix> trail, IReadOnlyList<ChatMessage> chat) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "snapshot");
        writer.WriteString("state", state);
        writer.WriteString("mode", mode);
        writer.WriteStartArray("trail");
        foreach (LocationFix fix in trail)
        {
            WritePosition(writer, fix);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("chat");
        foreach (ChatMessage message in chat)
        {
            WriteChat(writer, message);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WritePosition(Utf8JsonWriter writer, LocationFix fix)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "position");
        writer.WriteNumber("lat", fix.Latitude);
        writer.WriteNumber("lon", fix.Longitude);
        writer.WriteNumber("accuracy", fix.Accuracy);
        WriteNullable(writer, "heading", fix.Heading);
        WriteNullable(writer, "speed", fix.Speed);
        writer.WriteString("time", fix.Time);
        writer.WriteString("receivedAt", fix.ReceivedAt);
        if (fix.GridReference is not null)
        {
            writer.WriteNumber("easting", Math.Round(fix.Grid.Easting, 1));
            writer.WriteNumber("northing", Math.Round(fix.Grid.Northing, 1));
            writer.WriteString("gridRef", fix.GridReference);
        }
        else
        {
            writer.WriteNull("easting");
            writer.WriteNull("northing");
            writer.WriteNull("gridRef");
        }

        writer.WriteEndObject();
    }

    private static void WriteChat(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "chat");
        writer.WriteString("from", message.From == ChatSender.Caller ? "caller" : "officer");
        if (message.Author is null)
        {
            writer.WriteNull("author");
        }
        else
        {
            writer.WriteString("author", message.Author);
        }

        writer.WriteString("text", message.Text);
        writer.WriteString("time", message.Time);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
