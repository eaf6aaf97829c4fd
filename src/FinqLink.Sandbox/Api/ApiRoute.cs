using System;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// One API call's place: the version, whether it came through the /test path, and the resource
/// (e.g. "links/create"). Accepts every spelling the docs use: /v1, /v2, /test, /v2/test, /test/v2.
/// </summary>
public readonly record struct ApiRoute(string Version, bool IsTest, string Resource)
{
    public bool IsV1 => Version == "v1";

    public static bool TryParse(string path, out ApiRoute route)
    {
        route = default;
        var rest = path.Trim('/');
        string? version = null;
        var isTest = false;
        for (var i = 0; i < 2; i++)
        {
            if (version is null && TakeSegment(ref rest, "v1")) version = "v1";
            else if (version is null && TakeSegment(ref rest, "v2")) version = "v2";
            else if (!isTest && TakeSegment(ref rest, "test")) isTest = true;
        }
        if (rest.Length == 0) return false;
        // The Quick Start names consent creation without the "ais" segment.
        if (rest.StartsWith("consents/", StringComparison.Ordinal)) rest = "ais/" + rest;
        route = new ApiRoute(version ?? "v2", isTest, rest);
        return true;
    }

    private static bool TakeSegment(ref string rest, string segment)
    {
        if (rest == segment) { rest = ""; return true; }
        if (!rest.StartsWith(segment + "/", StringComparison.Ordinal)) return false;
        rest = rest.Substring(segment.Length + 1);
        return true;
    }
}
