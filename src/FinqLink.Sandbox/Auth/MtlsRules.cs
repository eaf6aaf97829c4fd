using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// FinqLink's documented client-certificate rules: RSA or ECDSA; leaf not a CA; EKU has clientAuth and none of
/// codeSigning, timeStamping, OCSPSigning; not expired; not self-signed; and it chains to a configured CA, every CA of
/// the chain valid, CA=true, with KeyUsage keyCertSign and, when it has an EKU, clientAuth in it.
/// </summary>
public sealed class MtlsRules(X509Certificate2Collection roots, TimeProvider time, TlsRejections rejections)
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2", CodeSigning = "1.3.6.1.5.5.7.3.3", TimeStamping = "1.3.6.1.5.5.7.3.8", OcspSigning = "1.3.6.1.5.5.7.3.9";

    /// <summary>Whether a TLS client may present <paramref name="cert"/>; a refusal is logged in <see cref="TlsRejections"/>.</summary>
    public bool Accept(X509Certificate2 cert)
    {
        if (Violation(cert) is not { } violation) return true;
        rejections.Add(cert.Subject, violation);
        return false;
    }

    /// <summary>The first rule the certificate breaks, or null when it passes.</summary>
    public string? Violation(X509Certificate2 cert)
    {
        if (cert.GetRSAPublicKey() is null && cert.GetECDsaPublicKey() is null) return "the key must be RSA or ECDSA";
        if (cert.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority)) return "a client certificate must not be a CA";
        var usages = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(Usages).ToHashSet();
        if (!usages.Contains(ClientAuth)) return "the extended key usage must contain clientAuth";
        if (usages.Overlaps(new[] { CodeSigning, TimeStamping, OcspSigning })) return "the extended key usage must not contain codeSigning, timeStamping or OCSPSigning";
        var now = time.GetUtcNow().UtcDateTime;
        if (now > cert.NotAfter.ToUniversalTime() || now < cert.NotBefore.ToUniversalTime()) return "the certificate is expired or not yet valid";
        if (cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData)) return "the certificate must not be self-signed";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        // The platform refuses some chains itself (a CA without keyCertSign): name FinqLink's rule whenever a CA was found.
        var chained = chain.Build(cert);
        foreach (var ca in chain.ChainElements.Skip(1).Select(e => e.Certificate))
            if (CaViolation(ca) is { } violation) return $"the issuing CA {ca.Subject}: {violation}";
        if (!chained)
            return chain.ChainStatus.Any(c => c.Status == X509ChainStatusFlags.NotTimeValid) && chain.ChainElements.Count > 1
                ? "an issuing CA certificate is expired or not yet valid"
                : "the certificate does not chain to a registered CA";
        return null;
    }

    /// <summary>
    /// A root or intermediate must be a CA whose KeyUsage has keyCertSign; its ExtendedKeyUsage "should contain"
    /// clientAuth, so one that has an EKU without clientAuth is refused, and one with no EKU at all (unrestricted,
    /// RFC 5280) is accepted.
    /// </summary>
    private static string? CaViolation(X509Certificate2 ca)
    {
        if (!ca.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority)) return "BasicConstraints must say CA=true";
        if (ca.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } keyUsage) return "the KeyUsage extension (keyCertSign) is missing";
        if (!keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign)) return "the KeyUsage extension lacks keyCertSign";
        if (ca.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku && !Usages(eku).Contains(ClientAuth))
            return "the ExtendedKeyUsage extension lacks clientAuth";
        return null;
    }

    private static string?[] Usages(X509EnhancedKeyUsageExtension eku) => eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToArray();

    public static X509Certificate2Collection LoadRoots(string pemPath)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemPath);
        return roots;
    }
}
