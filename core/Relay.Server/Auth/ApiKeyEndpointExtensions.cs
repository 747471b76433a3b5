namespace Relay.Server.Auth;

internal static class ApiKeyEndpointExtensions
{
    /// <summary>Requires an API key of one of <paramref name="roles"/> (see <see cref="ApiKeyFilter"/>).</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfZero(roles.Length);
        return builder.AddEndpointFilter(new ApiKeyFilter(roles));
    }
}
