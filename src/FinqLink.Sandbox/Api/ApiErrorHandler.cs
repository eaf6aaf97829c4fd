using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// The one place errors are written, for the API and the control API alike: FinqLink's flat body
/// <c>{error_id, request_id, code, message}</c>. Kestrel's own refusals (a body over the limit) get the same shape;
/// anything else is a sandbox bug and answers 500 <c>internal_error</c>.
/// </summary>
public sealed class ApiErrorHandler(RequestIds requestIds, IdGenerator ids) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested) return true;   // the caller has gone: nobody to answer
        var error = exception switch
        {
            ApiException api => api,
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new ApiException(413, "bad_request", $"The body is larger than {JsonBody.MaxBytes} bytes (1 MiB)"),
            BadHttpRequestException bad => ApiException.BadRequest(bad.Message),
            _ => new ApiException(500, "internal_error", "The sandbox failed unexpectedly (" + exception.GetType().Name + ")"),
        };
        httpContext.Response.StatusCode = error.Status;
        if (error.RetryAfter is { } retryAfter) httpContext.Response.Headers.RetryAfter = retryAfter;
        await httpContext.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error_id"] = ids.NewUuid(), ["request_id"] = requestIds.Of(httpContext), ["code"] = error.Code, ["message"] = error.Message,
        }, cancellationToken);
        return true;
    }
}
