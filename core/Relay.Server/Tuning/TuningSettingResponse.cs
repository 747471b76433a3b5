using Relay.Portal.Node;

namespace Relay.Server.Tuning;

/// <summary>A tunable setting in <c>GET /api/tuning</c> and a <c>PUT</c>'s answer.</summary>
/// <param name="Source">"default", "file", "tuned" (changed in operation) or "environment" (cannot be changed here).</param>
internal sealed record TuningSettingResponse(
    string Key,
    string Name,
    string Group,
    string Description,
    string Format,
    string Value,
    string Source,
    bool CanChange,
    string AppliesTo,
    string? ChangedBy,
    DateTimeOffset? ChangedAt)
{
    public static TuningSettingResponse From(TuningSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        string source = setting.Source switch
        {
            TuningSource.ConfigurationFile => "file",
            TuningSource.Tuned => "tuned",
            TuningSource.Environment => "environment",
            _ => "default",
        };
        return new TuningSettingResponse(setting.Key, setting.Name, setting.Group, setting.Description, setting.Format, setting.Value, source, setting.CanChange, setting.AppliesTo, setting.ChangedBy, setting.ChangedAt);
    }
}
