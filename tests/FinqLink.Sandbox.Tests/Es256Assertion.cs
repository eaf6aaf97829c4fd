using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FinqLink.Sandbox.Tests;

/// <summary>A private_key_jwt client assertion signed with an EC P-256 key, built by hand so the sandbox is tested independently of the client.</summary>
internal static class Es256Assertion
{
    public static string Sign(ECDsa key, string kid, string clientId, string audience, string jti)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var input = B(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","typ":"JWT","kid":"{{kid}}"}""")) + "." +
                    B(Encoding.UTF8.GetBytes($$"""{"iss":"{{clientId}}","sub":"{{clientId}}","aud":"{{audience}}","iat":{{now}},"exp":{{now + 300}},"jti":"{{jti}}"}"""));
        return input + "." + B(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    private static string B(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
