using System.Security.Cryptography.X509Certificates;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FinqLink.Sandbox.Hosting;

public static class SandboxKestrel
{
    /// <summary>The body limit for every request (chunked ones included), no Server header, and HTTPS with FinqLink's mTLS rules when configured.</summary>
    public static void ConfigureSandbox(this KestrelServerOptions kestrel, SandboxOptions options, MtlsRules? mtls)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
        if (options.HttpsCertificate is null) return;
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.HttpsCertificate, options.HttpsCertificatePassword);
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            if (mtls is null) return;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (cert, _, _) => mtls.Accept(cert);
        });
    }
}
