using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace FinqLink.Http
{
    /// <summary>An error answer as a <see cref="FinqLinkApiException"/>: FinqLink's flat {code, error_id, request_id, message}, or the raw text.</summary>
    internal static class ApiErrors
    {
        public static FinqLinkApiException From(HttpResponseMessage response, byte[] bytes, string resource, DateTimeOffset now)
        {
            string? code = null, errorId = null, requestId = null, message = null;
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    code = Read(root, "code");
                    errorId = Read(root, "error_id");
                    requestId = Read(root, "request_id");
                    message = Read(root, "message");
                }
            }
            catch (JsonException) { }
            message ??= bytes.Length == 0 ? response.ReasonPhrase ?? "no body" : Truncate(Encoding.UTF8.GetString(bytes));
            return new FinqLinkApiException(response.StatusCode, code, errorId, requestId,
                $"{resource}: {(int)response.StatusCode} {code ?? response.ReasonPhrase}: {message}", RetryPolicy.ReadRetryAfter(response, now));
        }

        private static string? Read(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string Truncate(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…";
    }
}
