using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FinqLink.Testing;

/// <summary>What is wrong with a client certificate or the CA that issued it, one mTLS rule at a time.</summary>
public enum ClientCertificateFlaw
{
    None, IsCa, NoClientAuth, CodeSigning, Expired, SelfSigned, OtherCa,
    /// <summary>Issued by a CA (in the sandbox's trust list) that has no KeyUsage extension.</summary>
    CaWithoutKeyUsage,
    /// <summary>Issued by a CA whose KeyUsage lacks keyCertSign.</summary>
    CaWithoutKeyCertSign,
    /// <summary>Issued by a CA whose ExtendedKeyUsage lacks clientAuth.</summary>
    CaEkuWithoutClientAuth,
    /// <summary>Issued by an expired CA.</summary>
    CaExpired,
    /// <summary>Not a flaw: issued by a CA whose ExtendedKeyUsage contains clientAuth.</summary>
    CaEkuWithClientAuth,
}

/// <summary>
/// A throwaway PKI in a temp folder: a CA (PEM, for the sandbox's --client-ca, together with the CAs that break a CA
/// rule), a server certificate for 127.0.0.1 (PFX, for --https-certificate) and client certificates that pass or break
/// FinqLink's mTLS rules.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string ServerPfxPassword = "server-pfx";
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Dictionary<ClientCertificateFlaw, (X509Certificate2 Certificate, ECDsa Key)> _flawedCas = new();

    public TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("finqlink-pki-").FullName;
        Ca = MakeCa("CN=FinqLink Test CA", _caKey);
        OtherCa = MakeCa("CN=Some Other CA", _otherCaKey);
        var now = DateTimeOffset.UtcNow;
        AddCa(ClientCertificateFlaw.CaWithoutKeyUsage, keyUsage: null, eku: null, now.AddDays(-60), now.AddYears(1));
        AddCa(ClientCertificateFlaw.CaWithoutKeyCertSign, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign, eku: null, now.AddDays(-60), now.AddYears(1));
        AddCa(ClientCertificateFlaw.CaEkuWithoutClientAuth, X509KeyUsageFlags.KeyCertSign, "1.3.6.1.5.5.7.3.1", now.AddDays(-60), now.AddYears(1));
        AddCa(ClientCertificateFlaw.CaExpired, X509KeyUsageFlags.KeyCertSign, eku: null, now.AddDays(-60), now.AddDays(-2));
        AddCa(ClientCertificateFlaw.CaEkuWithClientAuth, X509KeyUsageFlags.KeyCertSign, "1.3.6.1.5.5.7.3.2", now.AddDays(-60), now.AddYears(1));
        CaPemPath = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaPemPath, string.Concat(_flawedCas.Values.Select(c => c.Certificate.ExportCertificatePem() + "\n").Prepend(Ca.ExportCertificatePem() + "\n")));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var server = Issue(request, Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)).CopyWithPrivateKey(serverKey);
        ServerPfxPath = Path.Combine(Directory, "server.pfx");
        File.WriteAllBytes(ServerPfxPath, server.Export(X509ContentType.Pfx, ServerPfxPassword));
    }

    public string Directory { get; }
    public X509Certificate2 Ca { get; }
    public X509Certificate2 OtherCa { get; }
    public string CaPemPath { get; }
    public string ServerPfxPath { get; }

    /// <summary>Whether <paramref name="server"/> chains to this PKI's CA: how a test client trusts the sandbox.</summary>
    public bool IsOurServer(X509Certificate2? server)
    {
        if (server is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    /// <summary>A client certificate with its private key, breaking the rule <paramref name="flaw"/> names.</summary>
    public X509Certificate2 Client(ClientCertificateFlaw flaw = ClientCertificateFlaw.None, string subject = "CN=finqlink-client")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(flaw == ClientCertificateFlaw.IsCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        if (flaw != ClientCertificateFlaw.NoClientAuth) usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        else usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        if (flaw == ClientCertificateFlaw.CodeSigning) usages.Add(new Oid("1.3.6.1.5.5.7.3.3"));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var (notBefore, notAfter) = flaw == ClientCertificateFlaw.Expired
            ? (DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1))
            : (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificate = flaw switch
        {
            ClientCertificateFlaw.SelfSigned => request.CreateSelfSigned(notBefore, notAfter),
            ClientCertificateFlaw.OtherCa => Issue(request, OtherCa, notBefore, notAfter),
            _ when _flawedCas.TryGetValue(flaw, out var ca) => IssueUnchecked(request, ca.Certificate, ca.Key, notBefore, notAfter),
            _ => Issue(request, Ca, notBefore, notAfter),
        };
        if (certificate.HasPrivateKey) return certificate;
        using (certificate) return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <paramref name="certificate"/> with its key as a PFX file and returns the path.</summary>
    public string WritePfx(X509Certificate2 certificate, string name, string? password)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static X509Certificate2 MakeCa(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>Issues without .NET's own checks of the issuer (its key usage, its validity), as a careless CA would.</summary>
    private static X509Certificate2 IssueUnchecked(CertificateRequest request, X509Certificate2 issuer, ECDsa issuerKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
    }

    private void AddCa(ClientCertificateFlaw flaw, X509KeyUsageFlags? keyUsage, string? eku, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Test CA {flaw}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        if (keyUsage is { } usage) request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (eku is not null) request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(eku) }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _flawedCas[flaw] = (request.CreateSelfSigned(notBefore, notAfter), key);
    }

    public void Dispose()
    {
        Ca.Dispose();
        OtherCa.Dispose();
        foreach (var (certificate, key) in _flawedCas.Values)
        {
            certificate.Dispose();
            key.Dispose();
        }
        _caKey.Dispose();
        _otherCaKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
