namespace Relay.Server.Https;

/// <summary>
/// The certificate Kestrel serves HTTPS with (<c>Relay:Https</c>): PEM files
/// (<see cref="CertificatePath"/> and <see cref="KeyPath"/>) or a PKCS#12 file (<see cref="PfxPath"/>
/// and <see cref="PfxPassword"/>). Every <c>https://</c> address in <c>--urls</c> uses it. Phones only
/// let a page use the camera and location over HTTPS, so a public relay needs one.
/// </summary>
internal sealed class HttpsOptions
{
    public const string SectionName = "Relay:Https";

    /// <summary>PEM certificate (the chain may follow it in the same file).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key (PKCS#8, RSA or EC) for <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    public string? PfxPath { get; set; }

    public string? PfxPassword { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(CertificatePath) || !string.IsNullOrEmpty(PfxPath);
}
