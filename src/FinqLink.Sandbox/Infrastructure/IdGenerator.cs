using System;

namespace FinqLink.Sandbox.Infrastructure;

/// <summary>Ids from the run's seed, so a replayed run names its objects the same way.</summary>
public sealed class IdGenerator
{
    private const string WebIdAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private readonly Random _random;

    public IdGenerator(int seed) => _random = new Random(seed);

    public string NewUuid()
    {
        var bytes = new byte[16];
        lock (_random) _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    public string NewWebId()
    {
        var chars = new char[10];
        lock (_random)
            for (var i = 0; i < chars.Length; i++) chars[i] = WebIdAlphabet[_random.Next(WebIdAlphabet.Length)];
        return new string(chars);
    }

    public string NewRequestId()
    {
        var bytes = new byte[8];
        lock (_random) _random.NextBytes(bytes);
        return "F" + Convert.ToHexString(bytes).ToLowerInvariant();
    }
}
