using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Relay.Server.Https;

/// <summary>Loads the configured HTTPS certificate, or says plainly what is wrong with the configuration.</summary>
internal static class HttpsCertificate
{
    public static X509Certificate2 Load(HttpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string section = HttpsOptions.SectionName;
        if (!string.IsNullOrEmpty(options.CertificatePath) && !string.IsNullOrEmpty(options.PfxPath))
        {
            throw Fail($"{section}: give either CertificatePath and KeyPath (PEM) or PfxPath, not both.");
        }

        try
        {
            X509Certificate2 certificate;
            if (!string.IsNullOrEmpty(options.PfxPath))
            {
                Require(options.PfxPath, $"{section}:PfxPath");
                certificate = X509CertificateLoader.LoadPkcs12FromFile(options.PfxPath, options.PfxPassword);
            }
            else
            {
                Require(options.CertificatePath!, $"{section}:CertificatePath");
                if (string.IsNullOrEmpty(options.KeyPath))
                {
                    throw Fail($"{section}:KeyPath is not set; give the PEM private key that goes with {options.CertificatePath}.");
                }

                Require(options.KeyPath, $"{section}:KeyPath");
                certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.KeyPath);
            }

            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw Fail($"{section}: the certificate has no private key; give the key file (or a PFX that holds it).");
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            throw Fail($"{section}: the certificate or key could not be read ({e.Message}). Check the files are PEM (or PKCS#12 with the right PfxPassword) and that the key matches the certificate.");
        }
    }

    private static void Require(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw Fail($"{setting} '{path}' does not exist or cannot be read by the relay's user.");
        }
    }

    private static OptionsValidationException Fail(string message) =>
        new(HttpsOptions.SectionName, typeof(HttpsOptions), [message]);
}
