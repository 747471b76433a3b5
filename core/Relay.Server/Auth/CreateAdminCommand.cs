using System.Text;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Users;
using Relay.Server.Data;

namespace Relay.Server.Auth;

/// <summary>
/// <c>Relay.Server --create-admin &lt;name&gt; [--Relay:Database:Path=...]</c>: creates an administrator
/// with the password read from standard input (one line; typed twice, unechoed, at a terminal).
/// Exit 0 created, 1 refused (weak password, name in use), 2 misuse.
/// </summary>
internal static class CreateAdminCommand
{
    public const string Verb = "--create-admin";

    public static bool Matches(string[] args) => Array.IndexOf(args, Verb) >= 0;

    public static async Task<int> RunAsync(string[] args, TextReader input, bool interactive, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        int at = Array.IndexOf(args, Verb);
        if (at + 1 >= args.Length || args[at + 1].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"Usage: Relay.Server {Verb} <name> [--Relay:Database:Path=<file>], with the password on standard input.").ConfigureAwait(false);
            return 2;
        }

        string name = args[at + 1];
        string[] rest = [.. args[..at], .. args[(at + 2)..]];
        IConfiguration configuration = OfflineDatabase.BuildConfiguration(rest);
        string? password = interactive ? ReadTwiceUnechoed(error) : await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (password is null)
        {
            if (interactive)
            {
                return 1;
            }

            await error.WriteLineAsync("No password was given on standard input; there is no default password.").ConfigureAwait(false);
            return 1;
        }

        RelayDatabase database = await OfflineDatabase.OpenAsync(configuration, cancellationToken).ConfigureAwait(false);
        using var audit = new AuditLog(database, TimeProvider.System);
        var options = configuration.GetSection(UserOptions.SectionName).Get<UserOptions>() ?? new UserOptions();
        var users = new UserDirectory(database, audit, TimeProvider.System, options);
        try
        {
            await users.CreateAsync(name, name, AdminBootstrap.AdministratorRoles, password, actor: "cli", cancellationToken).ConfigureAwait(false);
        }
        catch (UserException e)
        {
            await error.WriteLineAsync($"The administrator '{name}' was not created: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"Created the administrator '{name}' ({string.Join(", ", AdminBootstrap.AdministratorRoles)}) in {database.FilePath}.").ConfigureAwait(false);
        return 0;
    }

    private static string? ReadTwiceUnechoed(TextWriter prompt)
    {
        prompt.Write("Password: ");
        string first = ReadUnechoed();
        prompt.Write("Again: ");
        string second = ReadUnechoed();
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            prompt.WriteLine("The two passwords differ.");
            return null;
        }

        return first;
    }

    private static string ReadUnechoed()
    {
        var password = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
