using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Requests;

namespace FinqLink.Bulk
{
    /// <summary>
    /// What a row asks for, as the journal remembers it: the amount and currency in clear, the other parts of the body
    /// (creditor, debtor, remittance, payment method, options) as hashes, so a re-run can name what changed without the
    /// journal holding account details. Each part is hashed as compact JSON with its keys sorted (a hashtable's order must
    /// not change a fingerprint), written straight from the typed request; journals written before typed requests hold
    /// the same hashes, which tests check against a journal that version wrote.
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

        public static RowFingerprint Of(LinkCreateRequest request)
        {
            if (request.Merged != null) return Of(request.Merged);
            using var hash = new CanonicalHash();
            var transfer = request.SingleTransfer;
            var parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [AmountPart] = transfer.Amount,
                [CurrencyPart] = transfer.Currency,
                [CreditorPart] = transfer.Creditor == null ? "" : hash.Of(w => CanonicalJson.Write(w, transfer.Creditor)),
                [DebtorPart] = transfer.Debtor == null ? "" : hash.Of(w => CanonicalJson.Write(w, transfer.Debtor)),
                [RemittancePart] = transfer.RemittanceInformation == null ? "" : hash.Of(w => w.WriteStringValue(transfer.RemittanceInformation)),
                [MethodPart] = request.PaymentMethod == null ? "" : hash.Of(w => CanonicalJson.Write(w, request.PaymentMethod)),
                [OptionsPart] = hash.Of(w => CanonicalJson.WriteRest(w, request)),
            };
            return new RowFingerprint(parts, hash.Of(w => CanonicalJson.Write(w, request)));
        }

        /// <summary>A body with AdditionalProperties merged in: its fields can be anywhere, so it is read as JSON.</summary>
        private static RowFingerprint Of(JsonObject body)
        {
            using var hash = new CanonicalHash();
            var transfer = body["single_transfer"] as JsonObject ?? new JsonObject();
            var rest = new JsonObject();
            foreach (var field in body.Where(f => f.Key != "single_transfer" && f.Key != "payment_method")) rest[field.Key] = field.Value?.DeepClone();
            var parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [AmountPart] = (string?)transfer["amount"] ?? "",
                [CurrencyPart] = (string?)transfer["currency"] ?? "",
                [CreditorPart] = hash.Of(transfer["creditor"]),
                [DebtorPart] = hash.Of(transfer["debtor"]),
                [RemittancePart] = hash.Of(transfer["remittance_information"]),
                [MethodPart] = hash.Of(body["payment_method"]),
                [OptionsPart] = hash.Of(rest),
            };
            return new RowFingerprint(parts, hash.Of(body));
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

        /// <summary>"sha256:" and the first 16 bytes, in hex, of what a writer writes: one hasher and one buffer for all of a row's parts.</summary>
        private sealed class CanonicalHash : IDisposable
        {
            private readonly SHA256 _sha = SHA256.Create();
            private readonly MemoryStream _buffer = new MemoryStream();

            public string Of(Action<Utf8JsonWriter> write)
            {
                _buffer.SetLength(0);
                using (var writer = new Utf8JsonWriter(_buffer)) write(writer);
                var hash = _sha.ComputeHash(_buffer.GetBuffer(), 0, (int)_buffer.Length);
                return "sha256:" + BitConverter.ToString(hash, 0, 16).Replace("-", "").ToLowerInvariant();
            }

            public string Of(JsonNode? node) => node == null ? "" : Of(w => CanonicalJson.Write(w, node));

            public void Dispose()
            {
                _sha.Dispose();
                _buffer.Dispose();
            }
        }
    }
}
