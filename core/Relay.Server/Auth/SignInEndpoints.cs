using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Relay.Control.Audit;
using Relay.Control.Users;
using Relay.Server.Http;

namespace Relay.Server.Auth;

/// <summary>
/// People's sign-in: <c>GET /login</c> (the page), <c>POST /api/login</c> (<c>{username, password}</c>
/// -> 204 and the cookie), <c>POST /api/logout</c>, <c>GET /api/me</c>.
/// </summary>
internal static partial class SignInEndpoints
{
    /// <summary>A sign-in is two short fields; anything larger is not one.</summary>
    public const int MaxBodyBytes = 4 * 1024;

    /// <summary>The title of the refusal that asks for a new password (the sign-in page looks for it).</summary>
    public const string PasswordChangeRequiredTitle = "Password change required";

    private const string WrongCredentials = "The user name or password is not right. Check both and try again; after repeated failures the account is locked for a while.";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/login", static (string? returnUrl) => Results.Content(LoginPage.Render(returnUrl), "text/html; charset=utf-8"));
        routes.MapPost("/api/login", SignInAsync);
        routes.MapPost("/api/login/password", ChangeTemporaryPasswordAsync);
        routes.MapPost("/api/logout", SignOutAsync);
        routes.MapGet("/api/me", Me).RequireAuthorization();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IUserDirectory users, SignInAddressLimiter addresses, IAuditLog audit, TimeProvider time, ILogger<SignInRequest> logger)
    {
        // Refused before the password is checked, right or not: otherwise a guesser would learn from the answer.
        string client = SignInAddressLimiter.ClientKey(http.Connection.RemoteIpAddress);
        if (addresses.IsLimited(client, out TimeSpan wait))
        {
            Log.AddressLimited(logger, client);
            return TooManyFailures(http, wait);
        }

        (SignInRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<SignInRequest>(http, MaxBodyBytes, "A sign-in", "{\"username\", \"password\"}", describeParserError: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (request is not { Username: { Length: > 0 } username, Password: { Length: > 0 } password })
        {
            return Problems.BadRequest("Give both a user name and a password: {\"username\", \"password\"}.");
        }

        SignInResult result = await users.SignInAsync(username, password, http.RequestAborted).ConfigureAwait(false);
        if (result.Outcome != SignInOutcome.Succeeded && addresses.RecordFailure(client, out TimeSpan limitedFor))
        {
            DateTimeOffset until = time.GetUtcNow() + limitedFor;
            Log.AddressLimited(logger, client);
            await audit.AppendAsync(
                new AuditEntry(AuditActions.Lockout, "system", "address:" + client, "too many failed sign-ins from this address", null, new Dictionary<string, string>
                {
                    ["scope"] = "address",
                    ["address"] = client,
                    ["until"] = until.ToString("O", CultureInfo.InvariantCulture),
                }),
                http.RequestAborted).ConfigureAwait(false);
        }

        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                RelayUser user = result.User!;
                await http.SignInAsync(RelayAuthentication.Cookie, CreatePrincipal(user), new AuthenticationProperties { IsPersistent = false }).ConfigureAwait(false);
                Log.SignedIn(logger, user.Name);
                return Results.NoContent();
            case SignInOutcome.LockedOut:
                DateTimeOffset until = result.LockedUntil!.Value;
                int seconds = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Log.LockedOut(logger, username);
                return Problems.Create(StatusCodes.Status401Unauthorized, "Account locked",
                    $"This account is locked after repeated failed sign-ins until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({until.ToString("O", CultureInfo.InvariantCulture)}). Try again then, or ask a supervisor.");
            case SignInOutcome.Disabled:
                return Problems.Forbidden("This account is disabled. Ask a supervisor or the relay's administrator to enable it.");
            case SignInOutcome.PasswordChangeRequired:
                return Problems.Create(StatusCodes.Status403Forbidden, PasswordChangeRequiredTitle,
                    "This password was set by an engineer's reset and works only once, to choose your own. Choose a new password to sign in: POST /api/login/password {\"username\", \"password\", \"newPassword\"}.");
            default:
                Log.Failed(logger, username.Length > UserDirectory.MaxNameLength ? username[..UserDirectory.MaxNameLength] : username);
                return Problems.Create(StatusCodes.Status401Unauthorized, "Sign-in failed", WrongCredentials);
        }
    }

    /// <summary>
    /// <c>POST /api/login/password</c> <c>{username, password, newPassword}</c>: the person proves their current password
    /// (a temporary one from a reset, or their own) and chooses a new one, then is signed in. Limited per address like a
    /// sign-in, as it checks a password.
    /// </summary>
    private static async Task<IResult> ChangeTemporaryPasswordAsync(HttpContext http, IUserDirectory users, SignInAddressLimiter addresses, IAuditLog audit, ILogger<SignInRequest> logger)
    {
        string client = SignInAddressLimiter.ClientKey(http.Connection.RemoteIpAddress);
        if (addresses.IsLimited(client, out TimeSpan wait))
        {
            Log.AddressLimited(logger, client);
            return TooManyFailures(http, wait);
        }

        (PasswordChangeRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<PasswordChangeRequest>(
            http, MaxBodyBytes, "A password change", "{\"username\", \"password\", \"newPassword\"}", describeParserError: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (request is not { Username: { Length: > 0 } username, Password: { Length: > 0 } password, NewPassword: { } newPassword })
        {
            return Problems.BadRequest("Give the user name, the current password and the new one: {\"username\", \"password\", \"newPassword\"}.");
        }

        RelayUser user;
        try
        {
            user = await users.ChangePasswordAsync(username, password, newPassword, http.RequestAborted).ConfigureAwait(false);
        }
        catch (UserException e)
        {
            addresses.RecordFailure(client, out _);
            return Problems.Create(StatusCodes.Status400BadRequest, "Password not changed", e.Message);
        }

        await audit.AppendAsync(new AuditEntry(AuditActions.SignIn, user.Name, user.Name, null, null, null), http.RequestAborted).ConfigureAwait(false);
        await http.SignInAsync(RelayAuthentication.Cookie, CreatePrincipal(user), new AuthenticationProperties { IsPersistent = false }).ConfigureAwait(false);
        Log.SignedIn(logger, user.Name);
        return Results.NoContent();
    }

    private static IResult TooManyFailures(HttpContext http, TimeSpan wait)
    {
        int seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
            $"There have been too many failed sign-ins from this address. Wait {seconds} seconds and try again, or ask a supervisor if you have forgotten your password.");
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAuditLog audit)
    {
        AuthenticateResult cookie = await http.AuthenticateAsync(RelayAuthentication.Cookie).ConfigureAwait(false);
        if (cookie.Succeeded && cookie.Principal.Identity?.Name is string name)
        {
            await audit.AppendAsync(new AuditEntry(AuditActions.SignOut, name, name, null, null, null), http.RequestAborted).ConfigureAwait(false);
        }

        await http.SignOutAsync(RelayAuthentication.Cookie).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static IResult Me(HttpContext http)
    {
        ClaimsPrincipal user = http.User;
        var roles = new List<string>();
        foreach (Claim claim in user.FindAll(ClaimTypes.Role))
        {
            roles.Add(claim.Value);
        }

        string name = user.Identity!.Name!;
        bool isKey = user.FindFirst(RelayAuthentication.KeyRoleClaim) is not null;
        return Results.Ok(new MeResponse(name, user.FindFirst(RelayAuthentication.DisplayNameClaim)?.Value ?? name, roles, isKey ? "api-key" : "cookie"));
    }

    internal static ClaimsPrincipal CreatePrincipal(RelayUser user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Name),
            new(RelayAuthentication.DisplayNameClaim, user.DisplayName),
            new(RelayAuthentication.StampClaim, user.SecurityStamp),
        };
        foreach (string role in user.Roles)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, RelayAuthentication.Cookie, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "{User} signed in")]
        public static partial void SignedIn(ILogger logger, string user);

        [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Failed sign-in as {User}")]
        public static partial void Failed(ILogger logger, string user);

        [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Sign-in refused: {User} is locked out")]
        public static partial void LockedOut(ILogger logger, string user);

        [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Sign-in refused: too many failed sign-ins from {Client}")]
        public static partial void AddressLimited(ILogger logger, string client);
    }
}

/// <summary>The body of <c>POST /api/login</c>.</summary>
internal sealed record SignInRequest(string? Username, string? Password);

/// <summary>The body of <c>POST /api/login/password</c>.</summary>
internal sealed record PasswordChangeRequest(string? Username, string? Password, string? NewPassword);

/// <summary>The body of <c>GET /api/me</c>.</summary>
internal sealed record MeResponse(string Name, string DisplayName, IReadOnlyList<string> Roles, string Via);
