using System.Globalization;

namespace Relay.Plugins.Evidence.S3;

/// <summary>The S3 store's settings, parsed and checked once; every failure names the setting.</summary>
internal sealed record S3EvidenceSettings(
    string Bucket,
    string? ServiceUrl,
    string Region,
    string? AccessKey,
    string? SecretKey,
    bool ForcePathStyle,
    string Prefix,
    string? ObjectLockMode,
    int ObjectLockRetentionDays,
    bool ObjectLockLegalHold,
    long MultipartThresholdBytes,
    int PartSizeBytes,
    string? ResumeDirectory)
{
    public const long MinimumPartSize = 5 * 1024 * 1024;

    public static S3EvidenceSettings Parse(IReadOnlyDictionary<string, string?> settings)
    {
        string bucket = Get(settings, S3EvidenceStorePlugin.BucketSetting)
            ?? throw Invalid(S3EvidenceStorePlugin.BucketSetting, "is required: the bucket that holds the evidence");
        string? serviceUrl = Get(settings, S3EvidenceStorePlugin.ServiceUrlSetting);
        if (serviceUrl is not null && (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw Invalid(S3EvidenceStorePlugin.ServiceUrlSetting, $"must be an absolute http(s) URL, not '{serviceUrl}'");
        }

        string? accessKey = Get(settings, S3EvidenceStorePlugin.AccessKeySetting);
        string? secretKey = Get(settings, S3EvidenceStorePlugin.SecretKeySetting);
        if ((accessKey is null) != (secretKey is null))
        {
            throw Invalid(S3EvidenceStorePlugin.SecretKeySetting, "and AccessKey must be given together (or neither, for the SDK's default credentials)");
        }

        string prefix = Get(settings, S3EvidenceStorePlugin.PrefixSetting) ?? "";
        if (prefix.Length > 0)
        {
            prefix = prefix.TrimEnd('/') + "/";
            foreach (string part in prefix.TrimEnd('/').Split('/'))
            {
                if (part.Length == 0 || part is "." or ".." || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    throw Invalid(S3EvidenceStorePlugin.PrefixSetting, "must be path segments of A-Z a-z 0-9 . _ - separated by '/'");
                }
            }
        }

        string? lockMode = Get(settings, S3EvidenceStorePlugin.ObjectLockModeSetting)?.ToUpperInvariant();
        if (lockMode is "NONE")
        {
            lockMode = null;
        }

        if (lockMode is not null and not "GOVERNANCE" and not "COMPLIANCE")
        {
            throw Invalid(S3EvidenceStorePlugin.ObjectLockModeSetting, "must be GOVERNANCE, COMPLIANCE or empty");
        }

        int retentionDays = GetInt(settings, S3EvidenceStorePlugin.ObjectLockRetentionDaysSetting, 0, 1, 36_500);
        if (lockMode is not null && retentionDays == 0)
        {
            throw Invalid(S3EvidenceStorePlugin.ObjectLockRetentionDaysSetting, "is required (1-36500) when ObjectLockMode is set");
        }

        bool legalHold = GetBool(settings, S3EvidenceStorePlugin.ObjectLockLegalHoldSetting, false);
        long threshold = GetInt(settings, S3EvidenceStorePlugin.MultipartThresholdSetting, 16 * 1024 * 1024, (int)MinimumPartSize, int.MaxValue);
        int partSize = GetInt(settings, S3EvidenceStorePlugin.PartSizeSetting, 8 * 1024 * 1024, (int)MinimumPartSize, 512 * 1024 * 1024);
        string? resume = Get(settings, S3EvidenceStorePlugin.ResumeDirectorySetting);
        if (resume is not null && !Path.IsPathFullyQualified(resume))
        {
            throw Invalid(S3EvidenceStorePlugin.ResumeDirectorySetting, "must be an absolute path");
        }

        return new S3EvidenceSettings(
            bucket,
            serviceUrl,
            Get(settings, S3EvidenceStorePlugin.RegionSetting) ?? "us-east-1",
            accessKey,
            secretKey,
            GetBool(settings, S3EvidenceStorePlugin.ForcePathStyleSetting, serviceUrl is not null),
            prefix,
            lockMode,
            retentionDays,
            legalHold,
            threshold,
            partSize,
            resume);
    }

    private static string? Get(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int GetInt(IReadOnlyDictionary<string, string?> settings, string key, int fallback, int min, int max)
    {
        string? text = Get(settings, key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw Invalid(key, $"must be a whole number from {min} to {max}, not '{text}'");
    }

    private static bool GetBool(IReadOnlyDictionary<string, string?> settings, string key, bool fallback)
    {
        string? text = Get(settings, key);
        if (text is null)
        {
            return fallback;
        }

        return bool.TryParse(text, out bool value) ? value : throw Invalid(key, $"must be true or false, not '{text}'");
    }

    private static ArgumentException Invalid(string key, string problem)
        => new($"The S3 evidence store's setting '{key}' {problem}.");
}
