using System;
using System.Globalization;
using System.Threading.Tasks;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// Injects the faults the active rules decide for the operation: latency, then a fault before the operation takes
/// effect (429, 503, a dropped connection) or after it did (500, a dropped connection).
/// </summary>
public sealed class FaultFilter(FaultPlan faults, Counters counters, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var fault = faults.Decide(http.GetEndpoint()!.Metadata.GetMetadata<ApiOperation>()!.Resource);
        if (fault.LatencyMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), time, http.RequestAborted);
        if (fault.Kind != FaultKind.None) counters.FaultInjected();
        switch (fault.Kind)
        {
            case FaultKind.RateLimit:
                throw new ApiException(429, "rate_limited", "Too many requests; retry later") { RetryAfter = RetryAfter(fault.Rule!) };
            case FaultKind.FailBefore:
                throw new ApiException(503, "internal_error", "The service is temporarily unavailable");
            case FaultKind.DropBefore:
                return Dropped(http);
        }

        var result = await next(context);
        return fault.Kind switch
        {
            FaultKind.FailAfter => throw new ApiException(500, "internal_server_error", "Internal server error"),
            FaultKind.DropAfter => Dropped(http),
            _ => result,
        };
    }

    private string RetryAfter(FaultRule rule) => rule.RetryAfterAsDate
        ? time.GetUtcNow().AddSeconds(rule.RetryAfterSeconds).ToString("r", CultureInfo.InvariantCulture)
        : rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    private static IResult Dropped(HttpContext http)
    {
        http.Abort();
        return Results.Empty;
    }
}
