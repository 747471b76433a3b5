using System.Globalization;
using Microsoft.Extensions.Options;

namespace Relay.Server.Tuning;

/// <summary>
/// One setting an engineer may change in operation: its configuration key, how its value is written,
/// what a change reaches, how to read the value in effect (from the options the relay uses), and how to
/// check a proposed value: bind the setting's options class from the configuration with the change in
/// it and run the same <see cref="IValidateOptions{TOptions}"/> the relay runs at start.
/// </summary>
internal sealed record TunableSetting
{
    private readonly Func<IServiceProvider, string> _read;
    private readonly Func<IConfiguration, string> _readFrom;
    private readonly Func<IServiceProvider, IConfiguration, List<string>> _check;

    private TunableSetting(string key, TunableSettingKind kind, Func<IServiceProvider, string> read, Func<IConfiguration, string> readFrom, Func<IServiceProvider, IConfiguration, List<string>> check)
    {
        Key = key;
        Kind = kind;
        _read = read;
        _readFrom = readFrom;
        _check = check;
    }

    public string Key { get; }

    public TunableSettingKind Kind { get; }

    public string Name { get; init; } = "";

    public string Group { get; init; } = "";

    public string Description { get; init; } = "";

    public string AppliesTo { get; init; } = "";

    public string Format => Kind switch
    {
        TunableSettingKind.WholeNumber => "a whole number",
        TunableSettingKind.Duration => "a time span as hh:mm:ss (d.hh:mm:ss for days, hh:mm:ss.fff for milliseconds)",
        _ => "country calling codes without '+', separated by commas, e.g. 44, 353",
    };

    /// <param name="section">The options class's configuration section, e.g. <c>Relay:Sessions</c>.</param>
    /// <param name="property">The key below it, e.g. <c>CallerTokenLifetime</c> or <c>PerOfficer:Count</c>.</param>
    /// <param name="read">The value in effect, as configuration text, from the options now.</param>
    public static TunableSetting For<TOptions>(string section, string property, TunableSettingKind kind, Func<TOptions, string> read)
        where TOptions : class, new() =>
        new(
            section + ":" + property,
            kind,
            services => read(services.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue),
            configuration => read(Bind<TOptions>(configuration, section)),
            (services, configuration) => Check<TOptions>(services, configuration, section));

    /// <summary>The value in effect now.</summary>
    public string ReadCurrent(IServiceProvider services) => _read(services);

    /// <summary>The value <paramref name="configuration"/> gives it (a proposal, already checked).</summary>
    public string ReadFrom(IConfiguration configuration) => _readFrom(configuration);

    /// <summary>The rules the options class breaks when bound from <paramref name="proposed"/>; empty when none.</summary>
    public List<string> Check(IServiceProvider services, IConfiguration proposed) => _check(services, proposed);

    /// <summary>
    /// <paramref name="text"/> in the form the configuration keeps (invariant, normalised), or null
    /// with <paramref name="problem"/> saying how to write it.
    /// </summary>
    public string? Normalise(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        problem = null;
        switch (Kind)
        {
            case TunableSettingKind.WholeNumber:
                if (long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out long number))
                {
                    return number.ToString(CultureInfo.InvariantCulture);
                }

                break;
            case TunableSettingKind.Duration:
                if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span))
                {
                    return TunableSettings.Duration(span);
                }

                break;
            default:
                string[] codes = Codes(text);
                if (codes.Length > 0)
                {
                    return string.Join(',', codes);
                }

                break;
        }

        problem = $"{Key} ({Name}) takes {Format}; '{Shorten(text)}' is not one.";
        return null;
    }

    /// <summary>The configuration keys and values an override of this setting is, for the provider.</summary>
    /// <param name="value">The normalised value.</param>
    /// <param name="below">The configuration without the tuned values, to hide every element of a list it holds.</param>
    public IEnumerable<KeyValuePair<string, string>> ToConfiguration(string value, IConfiguration below)
    {
        if (Kind != TunableSettingKind.CountryCodes)
        {
            yield return new(Key, value);
            yield break;
        }

        // Arrays merge by index across configuration sources: a shorter list tuned over a longer one
        // in a file would keep the file's tail. Repeat the last code over the indices the file uses.
        string[] codes = Codes(value);
        int belowCount = 0;
        foreach (IConfigurationSection child in below.GetSection(Key).GetChildren())
        {
            if (int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                belowCount = Math.Max(belowCount, index + 1);
            }
        }

        for (int i = 0; i < Math.Max(codes.Length, belowCount); i++)
        {
            yield return new(Key + ":" + i.ToString(CultureInfo.InvariantCulture), codes[Math.Min(i, codes.Length - 1)]);
        }
    }

    private static string[] Codes(string text)
    {
        var codes = new List<string>();
        foreach (string part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string code = part.TrimStart('+');
            if (code.Length > 0 && !codes.Contains(code))
            {
                codes.Add(code);
            }
        }

        return [.. codes];
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    private static TOptions Bind<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        var options = new TOptions();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static List<string> Check<TOptions>(IServiceProvider services, IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        TOptions options;
        try
        {
            options = Bind<TOptions>(configuration, section);
        }
        catch (InvalidOperationException e)
        {
            return [e.Message];
        }

        var failures = new List<string>();
        foreach (IValidateOptions<TOptions> validator in services.GetServices<IValidateOptions<TOptions>>())
        {
            ValidateOptionsResult result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return failures;
    }
}
