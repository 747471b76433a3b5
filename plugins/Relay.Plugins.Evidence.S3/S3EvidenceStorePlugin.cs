using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Plugins.Evidence.S3;

/// <summary>
/// Evidence in an S3-compatible object store: objects under <c>{Prefix}{recordingId}/{name}</c>,
/// checksummed on upload (Content-MD5 and x-amz-checksum-sha256), S3 Object Lock retention and legal
/// hold set when the settings ask, multipart uploads for large objects, resumed after a failure.
/// </summary>
public sealed class S3EvidenceStorePlugin : IEvidenceStorePlugin
{
    public const string Name = "s3";
    public const string BucketSetting = "Bucket";
    public const string ServiceUrlSetting = "ServiceUrl";
    public const string RegionSetting = "Region";
    public const string AccessKeySetting = "AccessKey";
    public const string SecretKeySetting = "SecretKey";
    public const string ForcePathStyleSetting = "ForcePathStyle";
    public const string PrefixSetting = "Prefix";
    public const string ObjectLockModeSetting = "ObjectLockMode";
    public const string ObjectLockRetentionDaysSetting = "ObjectLockRetentionDays";
    public const string ObjectLockLegalHoldSetting = "ObjectLockLegalHold";
    public const string MultipartThresholdSetting = "MultipartThresholdBytes";
    public const string PartSizeSetting = "PartSizeBytes";
    public const string ResumeDirectorySetting = "ResumeDirectory";

    public PluginDescription Description { get; } = new(
        Name,
        typeof(S3EvidenceStorePlugin).Assembly.GetName().Version?.ToString() ?? "0.0.0",
        "Evidence kept in an S3-compatible object store (AWS S3, MinIO, Ceph), with Object Lock where the bucket has it.",
        [
            new PluginSetting(BucketSetting, "The bucket (create it with Object Lock enabled to use ObjectLockMode or ObjectLockLegalHold).", Required: true, Secret: false),
            new PluginSetting(ServiceUrlSetting, "The S3 endpoint URL for a non-AWS store (https://minio.example:9000); empty for AWS.", Required: false, Secret: false),
            new PluginSetting(RegionSetting, "The region (default us-east-1).", Required: false, Secret: false),
            new PluginSetting(AccessKeySetting, "Access key id; empty to use the SDK's default credentials (instance role, environment).", Required: false, Secret: false),
            new PluginSetting(SecretKeySetting, "Secret access key, with AccessKey.", Required: false, Secret: true),
            new PluginSetting(ForcePathStyleSetting, "Path-style addressing (http://host/bucket/key); default true when ServiceUrl is set.", Required: false, Secret: false),
            new PluginSetting(PrefixSetting, "Key prefix inside the bucket (relay/evidence), for a bucket shared with other data.", Required: false, Secret: false),
            new PluginSetting(ObjectLockModeSetting, "GOVERNANCE or COMPLIANCE to set Object Lock retention on every object; empty for none.", Required: false, Secret: false),
            new PluginSetting(ObjectLockRetentionDaysSetting, "Days of Object Lock retention from upload (needed with ObjectLockMode).", Required: false, Secret: false),
            new PluginSetting(ObjectLockLegalHoldSetting, "true to also place S3 Object Lock legal holds on a held recording's objects (default false).", Required: false, Secret: false),
            new PluginSetting(MultipartThresholdSetting, "Objects larger than this go up in parts (default 16 MiB, at least 5 MiB).", Required: false, Secret: false),
            new PluginSetting(PartSizeSetting, "Part size for multipart uploads (default 8 MiB, at least 5 MiB).", Required: false, Secret: false),
            new PluginSetting(ResumeDirectorySetting, "Local directory to remember unfinished multipart uploads across restarts; empty to remember them in memory only.", Required: false, Secret: false),
        ]);

    public IEvidenceStore CreateStore(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        S3EvidenceSettings parsed = S3EvidenceSettings.Parse(settings);
        var config = new AmazonS3Config
        {
            ForcePathStyle = parsed.ForcePathStyle,
            HttpClientFactory = new SuppliedHttpClientFactory(http),
            // Checksums are ours, sent as plain headers: the SDK's default trailing checksums use
            // aws-chunked bodies that S3-compatible stores (and s3rver) do not all understand.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The upload spool retries with backoff; the SDK's own retries only add latency to "unavailable".
            MaxErrorRetry = 1,
            Timeout = TimeSpan.FromSeconds(100),
        };
        if (parsed.ServiceUrl is not null)
        {
            config.ServiceURL = parsed.ServiceUrl;
            config.AuthenticationRegion = parsed.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(parsed.Region);
        }

        AmazonS3Client client = parsed.AccessKey is not null
            ? new AmazonS3Client(new BasicAWSCredentials(parsed.AccessKey, parsed.SecretKey), config)
            : new AmazonS3Client(config);
        return new S3EvidenceStore(client, parsed, time);
    }
}
