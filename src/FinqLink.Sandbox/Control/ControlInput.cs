using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Control;

/// <summary>Checks on control-API bodies: only known fields, and numbers within their range. Failures are 400 validation_error.</summary>
public static class ControlInput
{
    public static JsonObject Only(JsonObject body, params string[] allowed)
    {
        var unknown = body.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k));
        if (unknown is not null)
            throw ApiException.Validation(unknown, allowed.Length == 0 ? "this operation takes no fields" : "is not a field here; the fields are " + string.Join(", ", allowed));
        return body;
    }

    public static long? Integer(JsonObject body, string name, long min, long max)
    {
        var value = Fields.Integer(body, name, name);
        if (value is not null && (value < min || value > max)) throw ApiException.Validation(name, $"must be between {min} and {max}");
        return value;
    }

    /// <summary>A number (fractions allowed) from <paramref name="min"/> to <paramref name="max"/>, or null when absent.</summary>
    public static double? Number(JsonObject body, string name, double min, double max)
    {
        var node = body[name];
        if (node is null) return null;
        if (node is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.Number || !value.TryGetValue(out double number) || !double.IsFinite(number))
            throw ApiException.Validation(name, "must be a number");
        if (number < min || number > max) throw ApiException.Validation(name, $"must be between {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} and {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return number;
    }

    public static string Required(string? value, string name) => value ?? throw ApiException.Validation(name, "is required");

    /// <summary>Runs a parser that reports bad input as FormatException (shared with the command line) and answers 400 for it.</summary>
    public static T Parse<T>(string field, Func<T> parse)
    {
        try { return parse(); }
        catch (FormatException e) { throw ApiException.Validation(field, e.Message); }
    }
}
