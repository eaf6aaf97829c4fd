using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox.Infrastructure;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>Every list operation that pages answers a cursor it did not issue with 400 validation_error, never a 500.</summary>
public sealed class CursorTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;

    public CursorTests(SandboxFixture fixture) => _f = fixture;

    private static string Cursor(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>Forged and malformed pagination.after values, each with what makes it wrong.</summary>
    public static IEnumerable<(string Name, JsonNode? After)> Malformed() => new (string, JsonNode?)[]
    {
        ("long.MinValue", Cursor("{\"k\":-9223372036854775808}")),
        ("long.MaxValue", Cursor("{\"k\":9223372036854775807}")),
        ("beyond long", Cursor("{\"k\":92233720368547758070}")),
        ("past the key range", Cursor("{\"k\":9007199254740993}")),
        ("a fraction", Cursor("{\"k\":1.5}")),
        ("an exponent", Cursor("{\"k\":1e3}")),
        ("k as a string", Cursor("{\"k\":\"5\"}")),
        ("k null", Cursor("{\"k\":null}")),
        ("k an object", Cursor("{\"k\":{}}")),
        ("no k", Cursor("{\"x\":5}")),
        ("an array", Cursor("[5]")),
        ("a bare number", Cursor("5")),
        ("a JSON string", Cursor("\"k\"")),
        ("duplicate k", Cursor("{\"k\":1,\"k\":2}")),
        ("extra fields", Cursor("{\"k\":1,\"x\":2}")),
        ("truncated JSON", Cursor("{\"k\":")),
        ("invalid UTF-8", Base64Url.EncodeToString(new byte[] { 0x7B, 0x22, 0x6B, 0x22, 0x3A, 0xC3, 0x28, 0x7D })),
        ("not base64", "!!!not-base64!!!"),
        ("padded base64", Convert.ToBase64String(Encoding.ASCII.GetBytes("{\"k\":1}"))),
        ("empty", ""),
        ("after as a number", 5),
        ("after as an object", new JsonObject { ["k"] = 1 }),
        ("after as an array", new JsonArray(1)),
        ("after as a boolean", true),
    };

    [Fact]
    public async Task Every_list_operation_answers_a_malformed_cursor_with_400()
    {
        var consent = await _f.ActiveConsent("bt_ro");
        var operations = new (string Path, Func<JsonObject> Body)[]
        {
            ("/v2/links/list", () => new JsonObject()),
            ("/test/v2/links/list", () => new JsonObject()),
            ("/v2/ais/balances/list", () => new JsonObject { ["consent_id"] = consent }),
            ("/v2/ais/transactions/list", () => new JsonObject { ["consent_id"] = consent }),
        };
        var cases = Malformed().ToList();
        Assert.True(cases.Count >= 20);

        foreach (var (path, body) in operations)
        {
            var good = body();
            good["pagination"] = new JsonObject { ["limit"] = 1, ["after"] = Keyset.Encode(0) };
            Assert.Equal(HttpStatusCode.OK, (await _f.Post(path, good)).Status);   // a cursor the API issues is still taken

            foreach (var (name, after) in cases)
            {
                var request = body();
                request["pagination"] = new JsonObject { ["limit"] = 5, ["after"] = after?.DeepClone() };
                var (status, error) = await _f.Post(path, request);
                Assert.True(status == HttpStatusCode.BadRequest, $"{path}, {name}: {(int)status} {error.ToJsonString()}");
                Assert.Equal("validation_error", (string?)error["code"]);
                Assert.StartsWith("pagination.after: ", (string?)error["message"]);
                Assert.False(string.IsNullOrEmpty((string?)error["error_id"]), $"{path}, {name}: no error_id");
                Assert.False(string.IsNullOrEmpty((string?)error["request_id"]), $"{path}, {name}: no request_id");
            }
        }
    }
}
