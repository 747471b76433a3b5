using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Relay.Control.Audit;
using Relay.Control.Users;
using Relay.Server.Auth;

namespace Relay.Server.Portal;

/// <summary>
/// Believes the person a trusted reverse proxy names (<see cref="TrustedProxyOptions"/>): runs first in
/// the pipeline and sets the request's user, which authentication keeps unless the request has a cookie
/// or an API key of its own, and which role-based authorization then checks as it checks any sign-in.
/// Headers from anywhere else are ignored. The first request of each person (and of each change of
/// their roles) is audited as a sign-in "via proxy".
/// </summary>
internal sealed partial class TrustedProxySignIn(
    IOptions<TrustedProxyOptions> options,
    IAuditLog audit,
    ILogger<TrustedProxySignIn> logger) : IStartupFilter
{
    public const string AuthenticationType = "trusted-proxy";

    private const int MaxNameLength = 128;

    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (options.Value.Enabled)
        {
            app.Use((context, nextMiddleware) => InvokeAsync(context, nextMiddleware));
        }

        next(app);
    };

    /// <summary>The person the headers name, or null when they do not name one with only known roles.</summary>
    internal static ClaimsPrincipal? ReadPrincipal(string? user, string? roles)
    {
        if (user is not { Length: > 0 and <= MaxNameLength } name || roles is null)
        {
            return null;
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, name.Trim()), new(RelayAuthentication.DisplayNameClaim, name.Trim()) };
        foreach (string role in roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!UserRoles.IsKnown(role))
            {
                return null;
            }

            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        // Someone with no role may do nothing here; treat them as not signed in, so they are sent to sign in.
        return claims.Count == 2 ? null : new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    internal static bool IsTrusted(IPAddress? remote, IReadOnlyList<string> proxies)
    {
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        foreach (string proxy in proxies)
        {
            if (IPAddress.TryParse(proxy, out IPAddress? address) && address.Equals(remote))
            {
                return true;
            }
        }

        return false;
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        TrustedProxyOptions settings = options.Value;
        string? user = context.Request.Headers[settings.UserHeader];
        if (user is not null)
        {
            if (!IsTrusted(context.Connection.RemoteIpAddress, settings.Proxies))
            {
                Log.Untrusted(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            }
            else if (ReadPrincipal(user, context.Request.Headers[settings.RolesHeader]) is { } principal)
            {
                context.User = principal;
                await AuditFirstAsync(principal, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                Log.Refused(logger, user.Length > MaxNameLength ? user[..MaxNameLength] : user);
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task AuditFirstAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        string name = principal.Identity!.Name!;
        var roles = new List<string>();
        foreach (Claim claim in principal.FindAll(ClaimTypes.Role))
        {
            roles.Add(claim.Value);
        }

        string joined = string.Join(' ', roles);
        if (_seen.TryGetValue(name, out string? known) && string.Equals(known, joined, StringComparison.Ordinal))
        {
            return;
        }

        _seen[name] = joined;
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["via"] = "proxy", ["roles"] = joined };
        await audit.AppendAsync(new AuditEntry(AuditActions.SignIn, name, name, null, null, details), cancellationToken).ConfigureAwait(false);
        Log.SignedIn(logger, name, joined);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "{User} signed in through the trusted proxy with roles {Roles}")]
        public static partial void SignedIn(ILogger logger, string user, string roles);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "A user header came from {Remote}, which is not a trusted proxy: ignored")]
        public static partial void Untrusted(ILogger logger, string remote);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The trusted proxy named {User} without a role the relay knows: not signed in")]
        public static partial void Refused(ILogger logger, string user);
    }
}
