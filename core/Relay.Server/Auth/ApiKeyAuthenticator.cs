using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Relay.Server.Auth;

/// <summary>
/// Recognises configured API keys. Only SHA-256 hashes are kept; a presented key is hashed and
/// compared with every configured hash in constant time, without stopping at a match, so the time
/// taken says nothing about which key, or how much of one, was right.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    private readonly (byte[] Hash, ApiKeyIdentity Identity)[] _keys;

    public ApiKeyAuthenticator(IOptions<ApiKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<(byte[], ApiKeyIdentity)>();
        foreach (ApiKeyEntry entry in options.Value.ApiKeys ?? [])
        {
            byte[] hash = entry.Key is { Length: > 0 } key ? Hash(key) : TryParseHash(entry.KeySha256 ?? "", out byte[]? parsed) ? parsed : [];
            keys.Add((hash, new ApiKeyIdentity(entry.Name ?? "", entry.Role ?? "")));
        }

        _keys = [.. keys];
    }

    public int Count => _keys.Length;

    public ApiKeyIdentity? Authenticate(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(presented, hash);
        ApiKeyIdentity? found = null;
        foreach ((byte[] keyHash, ApiKeyIdentity identity) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found ??= identity;
            }
        }

        return found;
    }

    public static byte[] Hash(string value)
    {
        byte[] hash = new byte[SHA256.HashSizeInBytes];
        HashInto(value, hash);
        return hash;
    }

    public static bool TryParseHash(string hex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? hash)
    {
        hash = null;
        if (hex.Length != SHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void HashInto(string value, Span<byte> destination)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        SHA256.HashData(bytes, destination);
        CryptographicOperations.ZeroMemory(bytes);
    }
}
