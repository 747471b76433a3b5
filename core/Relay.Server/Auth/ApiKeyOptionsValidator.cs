using Microsoft.Extensions.Options;

namespace Relay.Server.Auth;

/// <summary>Checks <c>Relay:ApiKeys</c> at start, naming the entry and what is wrong with it.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    /// <summary>A key must not be guessable: 16 characters is the least accepted; 32 random ones are advised.</summary>
    public const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ApiKeyEntry[] keys = options.ApiKeys ?? [];
        for (int i = 0; i < keys.Length; i++)
        {
            ApiKeyEntry entry = keys[i];
            string at = $"Relay:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                failures.Add($"{at}:Name is missing; name the system that holds the key.");
            }
            else if (!names.Add(entry.Name))
            {
                failures.Add($"{at}:Name '{entry.Name}' is used by another key; give each key its own name.");
            }

            bool hasKey = !string.IsNullOrEmpty(entry.Key);
            bool hasHash = !string.IsNullOrEmpty(entry.KeySha256);
            if (hasKey == hasHash)
            {
                failures.Add($"{at}: give either Key or KeySha256 (the key's SHA-256 in hex), not {(hasKey ? "both" : "neither")}.");
            }
            else if (hasKey && entry.Key!.Length < MinKeyLength)
            {
                failures.Add($"{at}:Key is {entry.Key.Length} characters; use at least {MinKeyLength} (32 random characters are advised).");
            }
            else if (hasHash && !ApiKeyAuthenticator.TryParseHash(entry.KeySha256!, out _))
            {
                failures.Add($"{at}:KeySha256 is not 64 hex digits; compute it with: printf %s KEY | sha256sum");
            }

            if (!ApiKeyRoles.IsKnown(entry.Role))
            {
                failures.Add($"{at}:Role '{entry.Role}' is not one of {string.Join(", ", ApiKeyRoles.All)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
