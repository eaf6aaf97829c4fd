using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// Arguments: <port> <pfx path> <pfx password> <signing key PEM path> <identity header value>.
// Keys: "finqlink" signs; "denied" answers 403 as a vault does for an identity without the role; any other name 404.
var (port, pfxPath, pfxPassword, keyPath, identityHeader) = (int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture), args[1], args[2], args[3], args[4]);
const string Token = "stand-in-vault-token";
using var rsa = RSA.Create();
rsa.ImportFromPem(File.ReadAllText(keyPath));

var builder = WebApplication.CreateSlimBuilder();
var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, pfxPassword);
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
builder.Logging.ClearProviders();
var app = builder.Build();
var signed = 0;

// The managed identity endpoint (IDENTITY_ENDPOINT, with IDENTITY_HEADER's value in X-IDENTITY-HEADER).
app.MapGet("/msi/token", (HttpRequest request) =>
    request.Headers["X-IDENTITY-HEADER"] != identityHeader ? Results.StatusCode(401)
    : Results.Json(new Dictionary<string, string>
    {
        ["access_token"] = Token, ["token_type"] = "Bearer", ["resource"] = request.Query["resource"].ToString(),
        ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
    }));

app.MapGet("/stats", () => Results.Json(new { signed }));

// GET {vault}/keys/{name}[/{version}] and POST {vault}/keys/{name}[/{version}]/sign, as Key Vault's REST API documents them.
app.MapMethods("/keys/{**rest}", ["GET", "POST"], async (HttpRequest request, string rest) =>
{
    if (request.Headers.Authorization.ToString() != "Bearer " + Token)
    {
        // The challenge Key Vault answers first.
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
        return Results.StatusCode(401);
    }
    var parts = rest.Split('/');
    var name = parts[0];
    var kid = $"https://{request.Host}/keys/{name}/0123456789abcdef";
    if (name == "denied") return Error(403, "Forbidden", "The user, group or application does not have keys sign permission.");
    if (name != "finqlink") return Error(404, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault.");
    var p = rsa.ExportParameters(false);
    if (request.Method == "GET")
        return Results.Json(new { key = new { kid, kty = "RSA", key_ops = new[] { "sign", "verify" }, n = B64(p.Modulus!), e = B64(p.Exponent!) }, attributes = new { enabled = true } });
    var body = await request.ReadFromJsonAsync<Dictionary<string, string>>();
    if (body is null || body["alg"] != "RS256") return Error(400, "BadParameter", "alg");
    Interlocked.Increment(ref signed);
    var signature = rsa.SignHash(FromB64(body["value"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    return Results.Json(new { kid, value = B64(signature) });
});

app.Run();

static IResult Error(int status, string code, string message) => Results.Json(new { error = new { code, message } }, statusCode: status);
static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
static byte[] FromB64(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
