using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Relay.Portal.Access;
using Relay.Portal.Components;

namespace Relay.Portal.Hosting;

/// <summary>
/// Puts the portal into a host: Razor components with interactive server rendering. The host
/// provides <see cref="Node.IPortalSessions"/> and <see cref="Node.IPortalNode"/>, the users and
/// the audit log, and the cookie sign-in (the portal's pages are authorized by role on the server).
/// </summary>
public static class PortalHosting
{
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<ActionGuard>();
        return services;
    }

    /// <summary>
    /// Maps the pages under <see cref="PortalPage.HomePath"/>, <c>/</c> to it, the Blazor script and the
    /// portal's stylesheet. Call after authentication and authorization.
    /// </summary>
    /// <param name="staticAssetsManifest">
    /// The host's <c>{assembly}.staticwebassets.endpoints.json</c>, which lists the framework's and the portal's
    /// static files. Where it is missing (a test host that loads the relay as a library) the pages still work,
    /// without their script and stylesheet.
    /// </param>
    public static WebApplication MapPortal(this WebApplication app, string staticAssetsManifest)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(staticAssetsManifest);

        // The relay runs from its build output as well as from a publish folder: the build output has
        // no copy of the framework's and this library's static files, only a manifest of where they
        // are, which ASP.NET Core reads by itself only in the Development environment.
        StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        app.UseAntiforgery();
        if (File.Exists(staticAssetsManifest))
        {
            app.MapStaticAssets(staticAssetsManifest);
        }

        app.MapGet("/", static () => Results.Redirect(PortalPage.HomePath)).ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
