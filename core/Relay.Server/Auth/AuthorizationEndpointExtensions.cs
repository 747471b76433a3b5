using Microsoft.AspNetCore.Authorization;

namespace Relay.Server.Auth;

internal static class AuthorizationEndpointExtensions
{
    /// <summary>
    /// Lets through a person signed in, or an API key, with one of <paramref name="roles"/>
    /// (<see cref="RelayRoles"/>); a supervisor counts as an officer. Refusals are made by
    /// <see cref="RelayAuthorizationResultHandler"/>.
    /// </summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentOutOfRangeException.ThrowIfZero(roles.Length);
        AuthorizationPolicy policy = new AuthorizationPolicyBuilder().RequireRole(RelayRoles.WithInherited(roles)).Build();
        return builder.RequireAuthorization(policy);
    }
}
