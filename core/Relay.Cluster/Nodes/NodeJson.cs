using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relay.Cluster.Nodes;

/// <summary>The heartbeat's (and each history sample's) form in Redis: JSON in camel case, written and read without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeHeartbeat))]
[JsonSerializable(typeof(NodeFigures))]
internal sealed partial class NodeJson : JsonSerializerContext;
