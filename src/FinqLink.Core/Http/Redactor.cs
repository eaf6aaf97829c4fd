using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace FinqLink.Http
{
    /// <summary>Removes secrets, tokens, assertions and key material from bodies before they reach -Debug.</summary>
    public static class Redactor
    {
        public const string Mask = "***";

        private static readonly HashSet<string> SecretNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "client_secret", "access_token", "refresh_token", "id_token", "client_assertion", "assertion", "password", "pin",
            "private_key", "d", "p", "q", "dp", "dq", "qi", "k", "secret",
        };

        /// <summary>A URL fit to show: scheme, host, port and path, without user info (a password), query (often a token) or fragment.</summary>
        public static string RedactUrl(Uri url) =>
            url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : Mask;

        public static string RedactJson(string json)
        {
            try
            {
                var node = JsonNode.Parse(json);
                if (node is null) return json;
                Walk(node);
                return node.ToJsonString();
            }
            catch (System.Text.Json.JsonException)
            {
                return RedactForm(json);
            }
        }

        /// <summary>Form bodies (the token request): name=value pairs.</summary>
        public static string RedactForm(string form) => string.Join("&", form.Split('&').Select(pair =>
        {
            var eq = pair.IndexOf('=');
            return eq > 0 && SecretNames.Contains(Uri.UnescapeDataString(pair.Substring(0, eq))) ? pair.Substring(0, eq + 1) + Mask : pair;
        }));

        // consents/redirect sends the bank's authorization code, a one-time credential; elsewhere "code" is an error code.
        private static bool IsAuthorizationCode(JsonObject obj, string key) =>
            string.Equals(key, "code", StringComparison.OrdinalIgnoreCase) && obj.ContainsKey("consent_id");

        private static void Walk(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if ((SecretNames.Contains(key) || IsAuthorizationCode(obj, key)) && obj[key] is JsonValue) obj[key] = Mask;
                    else if (obj[key] is JsonNode child) Walk(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array) if (item != null) Walk(item);
            }
        }
    }
}
