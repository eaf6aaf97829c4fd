using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Auth;

namespace FinqLink.Module.Tests;

/// <summary>
/// Keys in the shapes FinqLink's key script writes: private.key.pem (PKCS#8), public.key.json and a private.key.json
/// holding only n, e and d, with a kid of 32 random bytes in hex. The public key is registered with the sandbox.
/// </summary>
public sealed class KeyFiles : IDisposable
{
    public KeyFiles(string clientId)
    {
        ClientId = clientId;
        Directory = System.IO.Directory.CreateTempSubdirectory("finqlink-keys-").FullName;
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(true);
        Kid = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        PemPath = Path.Combine(Directory, "private.key.pem");
        File.WriteAllText(PemPath, rsa.ExportPkcs8PrivateKeyPem());
        PublicJwk = new JsonObject
        {
            ["kty"] = "RSA", ["kid"] = Kid, ["n"] = B64(p.Modulus!), ["e"] = "AQAB", ["alg"] = "RS256", ["use"] = "sig",
        };
        File.WriteAllText(Path.Combine(Directory, "public.key.json"), PublicJwk.ToJsonString());
        JwkPath = Path.Combine(Directory, "private.key.json");
        File.WriteAllText(JwkPath, new JsonObject
        {
            ["kty"] = "RSA", ["kid"] = Kid, ["n"] = B64(p.Modulus!), ["e"] = "AQAB", ["d"] = B64(p.D!), ["alg"] = "RS256", ["use"] = "sig",
        }.ToJsonString());
    }

    public string ClientId { get; }
    public string Directory { get; }
    public string Kid { get; }
    public string PemPath { get; }
    public string JwkPath { get; }
    public JsonObject PublicJwk { get; }

    public RegisteredClient Registration() => ClientRegistry.FromJson(new JsonObject
    {
        ["client_id"] = ClientId, ["app_name"] = "keys-" + ClientId,
        ["keys"] = new JsonArray(new JsonObject { ["kid"] = Kid, ["jwk"] = PublicJwk.DeepClone() }),
    });

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
