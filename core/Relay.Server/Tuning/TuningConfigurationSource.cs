namespace Relay.Server.Tuning;

/// <summary>
/// The configuration source of the settings changed in operation. Placed above the configuration
/// files and below the environment and command line, so a tuned value replaces a file's (or the
/// default) and an environment variable or argument wins over it (shown on the page as "set by the
/// environment; cannot be changed here").
/// </summary>
/// <remarks>
/// It hands out one provider for its lifetime: <see cref="ConfigurationManager"/> rebuilds its
/// providers whenever a source is added, and the tuned values must survive that.
/// </remarks>
internal sealed class TuningConfigurationSource : IConfigurationSource
{
    public TuningConfigurationProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}
