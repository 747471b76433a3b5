using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Relay.Plugins.Sms.GovUkNotify;

/// <summary>
/// A Notify API key, <c>{key name}-{service id}-{secret}</c> where the service id and the secret are UUIDs
/// (36 characters each) and the key name may itself contain '-'. Requests carry a JWT made from it:
/// header <c>{"typ":"JWT","alg":"HS256"}</c>, claims <c>{"iss": service id, "iat": now in Unix seconds}</c>,
/// signed with HMAC-SHA256 keyed by the secret's text. Notify refuses a token whose iat is more than 30 s off.
/// </summary>
internal sealed class NotifyApiKey
{
    private const int UuidLength = 36;

    private NotifyApiKey(string serviceId, string secret)
    {
        ServiceId = serviceId;
        Secret = secret;
    }

    public string ServiceId { get; }

    public string Secret { get; }

    public static NotifyApiKey? TryParse(string key)
    {
        // name "-" service "-" secret: at least one name character.
        if (key.Length < 1 + 1 + UuidLength + 1 + UuidLength || key[^(UuidLength + 1)] != '-' || key[^(2 * UuidLength + 2)] != '-')
        {
            return null;
        }

        string secret = key[^UuidLength..];
        string serviceId = key.Substring(key.Length - (2 * UuidLength) - 1, UuidLength);
        return Guid.TryParseExact(secret, "D", out _) && Guid.TryParseExact(serviceId, "D", out _) ? new NotifyApiKey(serviceId, secret) : null;
    }

    public string CreateToken(DateTimeOffset now)
    {
        byte[] header = """{"typ":"JWT","alg":"HS256"}"""u8.ToArray();
        byte[] claims;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("iss", ServiceId);
                writer.WriteNumber("iat", now.ToUnixTimeSeconds());
                writer.WriteEndObject();
            }

            claims = buffer.ToArray();
        }

        string signingInput = Base64Url(header) + "." + Base64Url(claims);
        byte[] signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
