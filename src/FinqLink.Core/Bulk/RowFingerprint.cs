using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Bulk
{
    /// <summary>
    /// What a row asks for, as the journal remembers it: the amount and currency in clear, the other parts of the body
    /// (creditor, debtor, remittance, payment method, options) as hashes, so a re-run can name what changed without the
    /// journal holding account details. Keys are sorted first: a hashtable's order must not change a fingerprint.
    /// </summary>
    public sealed class RowFingerprint
    {
        public const string AmountPart = "amount", CurrencyPart = "currency", CreditorPart = "creditor", DebtorPart = "debtor",
            RemittancePart = "remittance", MethodPart = "payment_method", OptionsPart = "options";

        private RowFingerprint(IReadOnlyDictionary<string, string> parts, string bodyHash)
        {
            Parts = parts;
            BodyHash = bodyHash;
        }

        public IReadOnlyDictionary<string, string> Parts { get; }
        /// <summary>A hash of the whole body: the key of a row that has no reference.</summary>
        public string BodyHash { get; }

        public static RowFingerprint Of(JsonObject body)
        {
            var transfer = body["single_transfer"] as JsonObject ?? new JsonObject();
            var rest = new JsonObject();
            foreach (var field in body.Where(f => f.Key != "single_transfer" && f.Key != "payment_method")) rest[field.Key] = field.Value?.DeepClone();
            var parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [AmountPart] = (string?)transfer["amount"] ?? "",
                [CurrencyPart] = (string?)transfer["currency"] ?? "",
                [CreditorPart] = Hash(transfer["creditor"]),
                [DebtorPart] = Hash(transfer["debtor"]),
                [RemittancePart] = Hash(transfer["remittance_information"]),
                [MethodPart] = Hash(body["payment_method"]),
                [OptionsPart] = Hash(rest),
            };
            return new RowFingerprint(parts, Hash(body));
        }

        public static RowFingerprint FromParts(IDictionary<string, string> parts) =>
            new RowFingerprint(new SortedDictionary<string, string>(parts, StringComparer.Ordinal), "");

        /// <summary>The parts that differ from <paramref name="earlier"/>, described for a person ("amount 1250 → 12.50", "creditor").</summary>
        public IReadOnlyList<string> ChangesSince(RowFingerprint earlier)
        {
            var changes = new List<string>();
            foreach (var part in Parts)
            {
                earlier.Parts.TryGetValue(part.Key, out var before);
                if (before == part.Value) continue;
                changes.Add(part.Key == AmountPart || part.Key == CurrencyPart ? $"{part.Key} {before ?? "?"} → {part.Value}" : part.Key);
            }
            return changes;
        }

        private static string Hash(JsonNode? node)
        {
            if (node == null) return "";
            var text = Canonical(node)!.ToJsonString();
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return "sha256:" + BitConverter.ToString(hash, 0, 16).Replace("-", "").ToLowerInvariant();
        }

        private static JsonNode? Canonical(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    var sorted = new JsonObject();
                    foreach (var field in obj.OrderBy(f => f.Key, StringComparer.Ordinal)) sorted[field.Key] = Canonical(field.Value);
                    return sorted;
                case JsonArray array:
                    return new JsonArray(array.Select(Canonical).ToArray());
                default:
                    return node?.DeepClone();
            }
        }
    }
}
