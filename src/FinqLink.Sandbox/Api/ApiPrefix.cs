using System.Collections.Generic;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// One spelling of the API's path prefix (route-group metadata): the version, and whether it came through the /test path.
/// The docs use /v1, /v2, /test, /v2/test and /test/v2; the sandbox takes the version and /test in either order, each
/// optional (no version means v2).
/// </summary>
public sealed record ApiPrefix(string Path, string Version, bool IsTest)
{
    public bool IsV1 => Version == "v1";

    public static IEnumerable<ApiPrefix> All
    {
        get
        {
            yield return new ApiPrefix("", "v2", false);
            yield return new ApiPrefix("/test", "v2", true);
            foreach (var version in new[] { "v1", "v2" })
            {
                yield return new ApiPrefix($"/{version}", version, false);
                yield return new ApiPrefix($"/{version}/test", version, true);
                yield return new ApiPrefix($"/test/{version}", version, true);
            }
        }
    }
}

/// <summary>Endpoint metadata naming the API resource an endpoint serves (e.g. links/create), as fault rules name it.</summary>
public sealed record ApiOperation(string Resource);
