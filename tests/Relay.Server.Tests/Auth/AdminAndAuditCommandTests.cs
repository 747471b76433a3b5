using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Users;
using Relay.Server.Audit;
using Relay.Server.Auth;

namespace Relay.Server.Tests.Auth;

public sealed class AdminAndAuditCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-cli-").FullName;

    private string DatabaseArg => "--Relay:Database:Path=" + Path.Combine(_directory, "relay.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task CreateAdmin_ReadsThePasswordFromStandardInput_AndTheAdministratorCanSignIn_AndTheEnvironmentsAdminIsThenIgnored()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = await CreateAdminCommand.RunAsync(["--create-admin", "chief", DatabaseArg], new StringReader("a long enough passphrase\n"), interactive: false, output, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("Created the administrator 'chief'", output.ToString(), StringComparison.Ordinal);
        await using TestRelay relay = await TestRelay.StartAsync(DatabaseArg, "--RELAY_ADMIN_USER=other", "--RELAY_ADMIN_PASSWORD=");
        IUserDirectory users = relay.Services.GetRequiredService<IUserDirectory>();
        SignInResult result = await users.SignInAsync("chief", "a long enough passphrase");
        Assert.Equal(SignInOutcome.Succeeded, result.Outcome);
        Assert.Null(await users.FindAsync("other"));
    }

    [Fact]
    public async Task CreateAdmin_RefusesAWeakOrMissingPassword()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int weak = await CreateAdminCommand.RunAsync(["--create-admin", "chief", DatabaseArg], new StringReader("short\n"), interactive: false, output, error);
        int missing = await CreateAdminCommand.RunAsync(["--create-admin", "chief", DatabaseArg], new StringReader(""), interactive: false, output, error);
        int noName = await CreateAdminCommand.RunAsync(["--create-admin"], new StringReader(""), interactive: false, output, error);

        Assert.Equal(1, weak);
        Assert.Equal(1, missing);
        Assert.Equal(2, noName);
        Assert.Contains("use at least 12", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("no default password", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "No password was given")]
    [InlineData("password", "use at least 12")]
    public async Task Start_RefusesAFirstAdministratorWithoutAStrongPassword(string password, string reason)
    {
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestRelay.StartAsync("--RELAY_ADMIN_USER=admin", "--RELAY_ADMIN_PASSWORD=" + password));

        Assert.Contains(e.Failures, f => f.Contains("RELAY_ADMIN_USER", StringComparison.Ordinal) && f.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditVerify_Exits0ForAnIntactLog_And1NamingTheRowForATamperedOne()
    {
        string path = Path.Combine(_directory, "relay.db");
        var database = new RelayDatabase(path, [AuditSchema.Module]);
        await database.MigrateAsync();
        using (var log = new AuditLog(database, TimeProvider.System))
        {
            for (int i = 0; i < 3; i++)
            {
                await log.AppendAsync(new AuditEntry(AuditActions.View, "pc1", "s" + i, null, null, null));
            }
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        int intact = await AuditVerifyCommand.RunAsync(["audit", "verify", DatabaseArg], output, error);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            using SqliteCommand tamper = connection.CreateCommand();
            tamper.CommandText = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone else' WHERE sequence = 2;";
            await tamper.ExecuteNonQueryAsync();
        }

        int broken = await AuditVerifyCommand.RunAsync(["audit", "verify", DatabaseArg], output, error);

        Assert.Equal(0, intact);
        Assert.Contains("intact: 3 rows verified", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, broken);
        Assert.Contains("broken at row 2", error.ToString(), StringComparison.Ordinal);
    }
}
