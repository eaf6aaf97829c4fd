using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// Reads a request body as one JSON object, refusing up front what System.Text.Json would otherwise accept lazily and
/// fail on later: invalid UTF-8 anywhere and duplicate keys. The size limit is Kestrel's MaxRequestBodySize, set to
/// <see cref="MaxBytes"/>; Kestrel counts the bytes as they arrive, so it holds for chunked bodies too.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1 << 20;
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <param name="emptyAsObject">Whether an empty body counts as <c>{}</c> (the control API) or is an error (the FinqLink API).</param>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, bool emptyAsObject = false)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.IsEmpty && emptyAsObject) return new JsonObject();
        if (!Utf8.IsValid(bytes)) throw ApiException.BadRequest("The body is not valid UTF-8");
        JsonNode? node;
        try { node = JsonNode.Parse(bytes, documentOptions: Strict); }
        catch (JsonException e) { throw ApiException.BadRequest("The body is not valid JSON: " + e.Message); }
        return node as JsonObject ?? throw ApiException.BadRequest("The body must be a JSON object");
    }
}
