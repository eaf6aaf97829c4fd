using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Webhooks;

/// <summary>
/// The webhook signing keys: exactly two published (current first, then previous). Rotation makes a new
/// current key, keeps the old current as previous and drops the old previous. The first two are made when first
/// needed, not at startup: two RSA keys cost about half a CPU-second, and most sandboxes never sign a webhook.
/// </summary>
public sealed class SigningKeys
{
    private sealed record Key(string Kid, string Alg, AsymmetricAlgorithm Private);

    private readonly object _gate = new();
    private int _generation;
    private Key? _current;
    private Key? _previous;

    public string CurrentKid { get { lock (_gate) return Current().Kid; } }

    /// <summary>Replaces the current key with a new one of <paramref name="alg"/> (RS256 or ES256); returns the new kid.</summary>
    public string Rotate(string alg = "RS256")
    {
        lock (_gate) Current();
        var key = Create(alg);
        lock (_gate)
        {
            _previous = _current;
            _current = key;
        }
        return key.Kid;
    }

    public JsonObject Jwks()
    {
        lock (_gate) return new JsonObject { ["keys"] = new JsonArray(PublicJwk(Current()), PublicJwk(_previous!)) };
    }

    /// <summary>A compact JWS whose payload is exactly <paramref name="body"/>, and the kid that signed it.</summary>
    public (string Jws, string Kid) Sign(byte[] body)
    {
        Key key;
        lock (_gate) key = Current();
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"{key.Alg}\",\"kid\":\"{key.Kid}\"}}"));
        var signingInput = header + "." + Base64Url.EncodeToString(body);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = key.Private switch
        {
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256),
            _ => throw new InvalidOperationException(),
        };
        return (signingInput + "." + Base64Url.EncodeToString(signature), key.Kid);
    }

    /// <summary>The current key, with the first two made now if they were not yet (previous first). Called under the lock.</summary>
    private Key Current()
    {
        if (_current is null)
        {
            _previous = Create("RS256");
            _current = Create("RS256");
        }
        return _current;
    }

    private Key Create(string alg)
    {
        var generation = System.Threading.Interlocked.Increment(ref _generation);
        var kid = $"sandbox-{generation:D3}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        return alg switch
        {
            "RS256" => new Key(kid, alg, RSA.Create(2048)),
            "ES256" => new Key(kid, alg, ECDsa.Create(ECCurve.NamedCurves.nistP256)),
            _ => throw new ArgumentException("Webhook keys are RS256 or ES256.", nameof(alg)),
        };
    }

    private static JsonObject PublicJwk(Key key)
    {
        var jwk = new JsonObject { ["kid"] = key.Kid, ["alg"] = key.Alg, ["use"] = "sig" };
        if (key.Private is RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64Url.EncodeToString(p.Modulus);
            jwk["e"] = Base64Url.EncodeToString(p.Exponent);
        }
        else if (key.Private is ECDsa ec)
        {
            var p = ec.ExportParameters(false);
            jwk["kty"] = "EC";
            jwk["crv"] = "P-256";
            jwk["x"] = Base64Url.EncodeToString(p.Q.X);
            jwk["y"] = Base64Url.EncodeToString(p.Q.Y);
        }
        return jwk;
    }
}
