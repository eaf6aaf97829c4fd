using System.Text.Json;

namespace FinqLink.Sandbox.Api;

/// <summary>A reply written straight to the response (large pages), instead of built as a JsonObject.</summary>
public interface IJsonBody
{
    void Write(Utf8JsonWriter writer);
}
