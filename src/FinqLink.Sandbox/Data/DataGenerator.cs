using System;

namespace FinqLink.Sandbox.Data;

/// <summary>
/// Deterministic pseudo-random values derived from (seed, index): a consent's millionth transaction is
/// computed when asked for, never stored.
/// </summary>
public static class DataGenerator
{
    public static ulong Mix(ulong seed, long index)
    {
        var z = seed + 0x9E3779B97F4A7C15UL * (ulong)(index + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static string Uuid(ulong seed, long index, ulong salt)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Mix(seed ^ salt, index));
        BitConverter.TryWriteBytes(bytes.Slice(8), Mix(seed ^ salt ^ 0xA5A5A5A5UL, index));
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    public static ulong SeedFrom(string text)
    {
        ulong hash = 1469598103934665603UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}
