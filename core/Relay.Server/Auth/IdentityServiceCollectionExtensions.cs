using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Users;
using Relay.Server.Data;

namespace Relay.Server.Auth;

/// <summary>
/// Users, the audit log, the two authentication schemes (API key, cookie) and role-based
/// authorization. Needs the database (<see cref="RelayDatabaseSetup.AddRelayDatabase"/>).
/// </summary>
internal static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddRelayIdentity(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(UserSchema.Module);
        services.AddSingleton(AuditSchema.Module);
        services.AddOptions<UserOptions>().Bind(configuration.GetSection(UserOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UserOptions>, SignInOptionsValidator>();
        services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        services.AddSingleton<SignInAddressLimiter>();
        services.AddSingleton(static sp => new AuditLog(sp.GetRequiredService<RelayDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAuditLog>(static sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<IUserDirectory>(static sp => new UserDirectory(
            sp.GetRequiredService<RelayDatabase>(),
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<UserOptions>>().Value));
        services.AddHostedService<AdminBootstrap>();

        services.AddSingleton<CookieEvents>();
        services.AddAuthentication(RelayAuthentication.Default)
            .AddPolicyScheme(RelayAuthentication.Default, null, static options => options.ForwardDefaultSelector = static http =>
                http.Request.Headers.ContainsKey(HeaderNames.Authorization) ? RelayAuthentication.ApiKey : RelayAuthentication.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(RelayAuthentication.ApiKey, null)
            .AddCookie(RelayAuthentication.Cookie, static options =>
            {
                options.Cookie.Name = RelayAuthentication.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/";
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.ReturnUrlParameter = "returnUrl";
                options.EventsType = typeof(CookieEvents);
            });
        services.AddOptions<CookieAuthenticationOptions>(RelayAuthentication.Cookie)
            .Configure<IOptions<SignInOptions>>(static (cookie, signIn) => cookie.ExpireTimeSpan = signIn.Value.IdleTimeout);
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RelayAuthorizationResultHandler>();

        // Cookies are protected with keys kept on disk, so sign-ins outlive a restart.
        string keys = configuration[SignInOptions.SectionName + ":" + nameof(SignInOptions.KeysDirectory)] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, contentRoot)
            : Path.Combine(Path.GetDirectoryName(RelayDatabaseSetup.ResolvePath(
                configuration, contentRoot, (configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions()).Path))!, "keys");
        services.AddDataProtection().SetApplicationName("Relay").PersistKeysToFileSystem(new DirectoryInfo(keys));
        return services;
    }
}
