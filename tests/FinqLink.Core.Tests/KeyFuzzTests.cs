using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using FinqLink.Auth;
using FinqLink.Auth.Keys;
using Xunit;
using Xunit.Abstractions;
using static FinqLink.Core.Tests.TestKeys;

namespace FinqLink.Core.Tests;

/// <summary>
/// Thousands of deterministic truncations and mutations of valid PEM, DER and JWK key files: each must load or throw
/// <see cref="KeyFormatException"/>, never IndexOutOfRange, ArgumentOutOfRange, NullReference or a raw platform exception.
/// </summary>
public sealed class KeyFuzzTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> ValidFiles() => new[]
    {
        new object[] { "PKCS#8 RSA PEM", Bytes(Pkcs8Pem(Rsa)) },
        new object[] { "PKCS#1 RSA PEM", Bytes(Pkcs1Pem(Rsa)) },
        new object[] { "PKCS#8 RSA DER", Pkcs8Der(Rsa) },
        new object[] { "PKCS#1 RSA DER", Pkcs1Der(Rsa) },
        new object[] { "PKCS#8 EC PEM", Bytes(Pkcs8Pem(Ec)) },
        new object[] { "SEC1 EC DER", Sec1Der(Ec) },
        new object[] { "SEC1 EC DER without public point", Sec1DerWithoutPublicKey(Ec) },
        new object[] { "key script JWK (n, e, d)", Bytes(ScriptJwk(Rsa).ToJsonString()) },
        new object[] { "RSA JWK with CRT members", Bytes(FullRsaJwk(Rsa).ToJsonString()) },
        new object[] { "EC JWK", Bytes(EcJwk(Ec).ToJsonString()) },
    };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Every_mutation_loads_or_throws_KeyFormatException(string format, byte[] valid)
    {
        SigningKey.FromFileContent(valid, "kid", format);
        var random = new Random(valid.Length);
        var (loaded, refused) = (0, 0);
        foreach (var (mutation, content) in Mutations(valid, random))
        {
            try
            {
                SigningKey.FromFileContent(content, "kid", format);
                loaded++;
            }
            catch (KeyFormatException) { refused++; }
            catch (Exception e)
            {
                Assert.Fail($"{format}, {mutation}: {e.GetType().Name}: {e.Message}\ninput (base64): {Convert.ToBase64String(content)}");
            }
        }
        output.WriteLine($"{format}: {loaded + refused} mutations, {loaded} loaded, {refused} refused");
        Assert.True(refused > loaded, "the mutations mostly break the key");
    }

    /// <summary>
    /// Byte-level damage for PEM and DER; text and member damage for JWKs, fewer of them since each damaged n or d costs
    /// a 2048-bit modular exponentiation before it is refuted.
    /// </summary>
    private static IEnumerable<(string Mutation, byte[] Content)> Mutations(byte[] valid, Random random)
    {
        var isJwk = valid[0] == (byte)'{';
        var step = Math.Max(1, valid.Length / (isJwk ? 60 : 400));
        for (var length = 0; length < valid.Length; length += step) yield return ($"truncated to {length} bytes", valid[..length]);
        yield return ("trailing garbage", [.. valid, 0x00, 0x05, 0x30]);
        if (isJwk)
        {
            foreach (var mutation in JwkMutations(Encoding.UTF8.GetString(valid), random)) yield return mutation;
            yield break;
        }
        for (var i = 0; i < 600; i++)
        {
            var at = random.Next(valid.Length);
            yield return ($"byte {at} xor", valid.With(at, (byte)(valid[at] ^ (1 << random.Next(8)))));
        }
        // Length and tag bytes: indefinite (0x80), long forms that overrun, zero lengths, and tags of other types.
        foreach (var value in new byte[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x30, 0x7F, 0x80, 0x81, 0x82, 0x84, 0x88, 0xA0, 0xA1, 0xFF })
            for (var i = 0; i < 40; i++)
            {
                var at = i < 8 ? i : random.Next(valid.Length);
                yield return ($"byte {at} = 0x{value:X2}", valid.With(at, value));
            }
        for (var i = 0; i < 150; i++)
        {
            var at = random.Next(valid.Length);
            yield return ($"byte {at} removed", [.. valid[..at], .. valid[(at + 1)..]]);
            yield return ($"byte inserted at {at}", [.. valid[..at], (byte)random.Next(256), .. valid[at..]]);
        }
        if (valid[0] != (byte)'-') yield break;
        var text = Encoding.UTF8.GetString(valid);
        for (var i = 0; i < 600; i++)
        {
            var at = random.Next(text.Length);
            yield return ($"char {at} replaced", Bytes(text[..at] + Alphabet[random.Next(Alphabet.Length)] + text[(at + 1)..]));
        }
    }

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ !\"{}[]:,\n";

    /// <remarks>
    /// A character replaced inside a long number (n, d, a CRT part) mostly leaves another well-formed number, which the
    /// reader refutes by the same code each time: four such replacements per number, and the rest on the JSON around the
    /// numbers (names, quotes, separators, the short members). An n, e, d-only JWK costs a 2048-bit modular exponentiation
    /// whenever it loads or its numbers are damaged; its JSON is read by the same code as the CRT JWK's, which carries the
    /// damage to the JSON and the other members, so it gets only the mutations that reach its own path: its numbers.
    /// </remarks>
    private static IEnumerable<(string, byte[])> JwkMutations(string text, Random random)
    {
        var original = JsonNode.Parse(text)!.AsObject();
        var derivesPrimes = (string?)original["kty"] == "RSA" && original["p"] is null;
        var numbers = original.Select(p => (string)p.Value!).Where(v => v.Length > 64).Select(v => (Start: text.IndexOf(v, StringComparison.Ordinal), v.Length)).ToList();
        var around = Enumerable.Range(0, text.Length).Where(i => !numbers.Any(n => i >= n.Start && i < n.Start + n.Length)).ToArray();
        var positions = Enumerable.Range(0, derivesPrimes ? 0 : 100).Select(_ => around[random.Next(around.Length)])
            .Concat(numbers.SelectMany(n => Enumerable.Range(0, 4).Select(_ => n.Start + random.Next(n.Length))));
        foreach (var at in positions)
            yield return ($"char {at} replaced", Bytes(text[..at] + Alphabet[random.Next(Alphabet.Length)] + text[(at + 1)..]));
        foreach (var name in original.Select(p => p.Key).Where(k => !derivesPrimes || k is "n" or "e" or "d").ToList())
        {
            yield return ($"'{name}' removed", Bytes(original.Without(name).ToJsonString()));
            foreach (var value in new JsonNode?[] { null, 5, true, new JsonArray(), new JsonObject(), "", "AA", "!!", "A", new string('A', 3000) })
                yield return ($"'{name}' = {value?.ToJsonString() ?? "null"}", Bytes(original.With(name, value).ToJsonString()));
            var member = (string?)original[name]!.GetValue<string>();
            for (var length = 0; length < member!.Length; length += Math.Max(1, member.Length / 8))
                yield return ($"'{name}' cut to {length}", Bytes(original.With(name, member[..length]).ToJsonString()));
        }
        yield return ("a JSON array", Bytes($"[{text}]"));
        yield return ("a JWKS around the key", Bytes($"{{\"keys\":[{text}]}}"));
    }
}
