using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FinqLink.Sandbox.Api;

/// <summary>Reads and validates request fields; every failure names the field and the rule.</summary>
public static partial class Fields
{
    public const int MaxAmountDigits = 15;
    /// <summary>
    /// The seed's decimal strings ("100.50": no leading zeros, no separators), at most 15 whole digits and 3 decimals (ISO 4217's
    /// most); a transfer's amount is held to its currency's minor digits too (<see cref="AmountInCurrency"/>).
    /// </summary>
    public const string AmountSyntax = "^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,3})?$";

    [GeneratedRegex(AmountSyntax)]
    private static partial Regex AmountPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,127}$")]
    private static partial Regex TrackingPattern();

    public static readonly IReadOnlySet<string> Currencies = new HashSet<string>(StringComparer.Ordinal)
    {
        "RON", "EUR", "USD", "GBP", "CHF", "HUF", "PLN", "CZK", "BGN", "SEK", "NOK", "DKK", "JPY", "CAD", "AUD", "MDL", "TRY", "RSD",
    };

    /// <summary>ISO 4217 minor-unit digits of the supported currencies: 2, but none for JPY.</summary>
    public static int MinorDigits(string currency) => currency == "JPY" ? 0 : 2;

    /// <summary>An amount of a currency: at most as many decimals as the currency has minor digits.</summary>
    public static string AmountInCurrency(JsonObject body, string name, string path, string currency)
    {
        var text = Amount(body, name, path);
        var point = text.IndexOf('.');
        var decimals = point < 0 ? 0 : text.Length - point - 1;
        var minor = MinorDigits(currency);
        if (decimals > minor)
            throw ApiException.Validation(path, $"has {decimals} decimal{(decimals == 1 ? "" : "s")}; {currency} has {(minor == 0 ? "none" : minor.ToString(CultureInfo.InvariantCulture))}");
        return text;
    }

    public static JsonObject? Object(JsonObject body, string name, string path)
    {
        var node = body[name];
        if (node is null) return null;
        return node as JsonObject ?? throw ApiException.Validation(path, "must be an object");
    }

    public static string? String(JsonObject body, string name, string path, int maxLength = 2048)
    {
        var node = body[name];
        if (node is null) return null;
        if (node is not JsonValue value || !value.TryGetValue(out string? text))
            throw ApiException.Validation(path, "must be a string");
        if (text.Length > maxLength) throw ApiException.Validation(path, $"must be at most {maxLength} characters");
        return text;
    }

    public static string RequiredString(JsonObject body, string name, string path, int maxLength = 2048) =>
        String(body, name, path, maxLength) is { Length: > 0 } text ? text : throw ApiException.Validation(path, "is required");

    public static bool? Bool(JsonObject body, string name, string path)
    {
        var node = body[name];
        if (node is null) return null;
        if (node is JsonValue value && value.TryGetValue(out bool flag)) return flag;
        throw ApiException.Validation(path, "must be a boolean");
    }

    public static long? Integer(JsonObject body, string name, string path)
    {
        var node = body[name];
        if (node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number)) return number;
        throw ApiException.Validation(path, "must be an integer");
    }

    public static DateTimeOffset? Timestamp(JsonObject body, string name, string path)
    {
        var text = String(body, name, path, 64);
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value;
        throw ApiException.Validation(path, "must be an ISO-8601 timestamp such as 2024-01-01T00:00:00Z");
    }

    public static List<string>? StringList(JsonObject body, string name, string path)
    {
        var node = body[name];
        if (node is null) return null;
        if (node is JsonValue single && single.TryGetValue(out string? one)) return new List<string> { one };
        if (node is not JsonArray array) throw ApiException.Validation(path, "must be a string or an array of strings");
        var list = new List<string>();
        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue(out string? s)) list.Add(s);
            else throw ApiException.Validation(path, "must contain only strings");
        }
        return list;
    }

    public static string Amount(JsonObject body, string name, string path)
    {
        var node = body[name] ?? throw ApiException.Validation(path, "is required");
        var text = node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString();
        if (!AmountPattern().IsMatch(text))
            throw ApiException.Validation(path, $"must be a decimal string such as \"100.50\": no leading zeros, no separators, at most 3 decimals and {MaxAmountDigits} digits before the point");
        if (decimal.Parse(text, CultureInfo.InvariantCulture) <= 0) throw ApiException.Validation(path, "must be greater than zero");
        return text;
    }

    public static string Currency(JsonObject body, string name, string path)
    {
        var code = RequiredString(body, name, path, 3);
        if (!Currencies.Contains(code)) throw ApiException.Validation(path, $"'{code}' is not a supported ISO 4217 currency code");
        return code;
    }

    public static string? Iban(JsonObject body, string name, string path)
    {
        var iban = String(body, name, path, 34);
        if (iban is null) return null;
        if (!IbanChecksum.IsValid(iban)) throw ApiException.Validation(path, "is not a valid IBAN (ISO 13616 mod-97 checksum)");
        return iban;
    }

    public static void TrackingId(JsonObject tracking, string name)
    {
        var text = String(tracking, name, "tracking." + name, 128);
        if (text is not null && !TrackingPattern().IsMatch(text))
            throw ApiException.Validation("tracking." + name,
                "must be 1-128 characters: lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
}
