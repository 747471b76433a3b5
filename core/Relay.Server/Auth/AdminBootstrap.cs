using Microsoft.Extensions.Options;
using Relay.Control.Users;

namespace Relay.Server.Auth;

/// <summary>
/// Creates the first administrator from <c>RELAY_ADMIN_USER</c> and <c>RELAY_ADMIN_PASSWORD</c>
/// (environment, or any configuration source) when the relay has no users yet. There is no default
/// password: a name without a password, or a weak password, stops the relay from starting.
/// </summary>
internal sealed partial class AdminBootstrap(IConfiguration configuration, IUserDirectory users, ILogger<AdminBootstrap> logger) : IHostedService
{
    public const string UserVariable = "RELAY_ADMIN_USER";
    public const string PasswordVariable = "RELAY_ADMIN_PASSWORD";

    /// <summary>The first administrator runs the relay and manages people (a supervisor may do all an officer may).</summary>
    public static IReadOnlyList<string> AdministratorRoles { get; } = [UserRoles.Supervisor, UserRoles.Engineer];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string? name = configuration[UserVariable];
        if (string.IsNullOrWhiteSpace(name))
        {
            if (!await users.AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.NoUsers(logger);
            }

            return;
        }

        if (await users.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            Log.AdminIgnored(logger, name);
            return;
        }

        try
        {
            await users.CreateAsync(name, name, AdministratorRoles, configuration[PasswordVariable] ?? "", actor: UserVariable, cancellationToken).ConfigureAwait(false);
        }
        catch (UserException e)
        {
            throw new OptionsValidationException(PasswordVariable, typeof(string), [$"{UserVariable}/{PasswordVariable}: the first administrator '{name}' cannot be created: {e.Message}"]);
        }

        Log.AdminCreated(logger, name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "The relay has no users: set RELAY_ADMIN_USER and RELAY_ADMIN_PASSWORD, or run Relay.Server --create-admin <name>")]
        public static partial void NoUsers(ILogger logger);

        [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Created the first administrator {User} from RELAY_ADMIN_USER")]
        public static partial void AdminCreated(ILogger logger, string user);

        [LoggerMessage(EventId = 612, Level = LogLevel.Information, Message = "RELAY_ADMIN_USER ({User}) ignored: the relay already has users")]
        public static partial void AdminIgnored(ILogger logger, string user);
    }
}
