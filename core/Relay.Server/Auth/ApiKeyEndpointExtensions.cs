namespace Relay.Server.Auth;

internal static class ApiKeyEndpointExtensions
{
    /// <summary>
    /// The key roles of <paramref name="roles"/> as <see cref="AuthorizationEndpointExtensions.RequireRole"/>
    /// (operator is engineer). Kept so code written against the key-only API still builds; use RequireRole.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(roles);
        string[] mapped = new string[roles.Length];
        for (int i = 0; i < roles.Length; i++)
        {
            mapped[i] = RelayRoles.ForApiKey(roles[i]);
        }

        return builder.RequireRole(mapped);
    }
}
