using System.Text.Json.Nodes;

namespace FinqLink.Core.Tests;

/// <summary>Copies of valid key material with one thing changed, for the tests that break keys on purpose.</summary>
internal static class Edits
{
    public static byte[] With(this byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }

    public static JsonObject With(this JsonObject jwk, string name, JsonNode? value)
    {
        var copy = jwk.DeepClone().AsObject();
        copy[name] = value?.DeepClone();
        return copy;
    }

    public static JsonObject Without(this JsonObject jwk, string name)
    {
        var copy = jwk.DeepClone().AsObject();
        copy.Remove(name);
        return copy;
    }
}
