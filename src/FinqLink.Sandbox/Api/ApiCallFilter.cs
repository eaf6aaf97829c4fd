using System.Threading.Tasks;
using FinqLink.Sandbox.Auth;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// Reads the JSON body and authenticates the client before an operation runs; the handler finds the result as the
/// request's <see cref="ApiCall"/> feature.
/// </summary>
public sealed class ApiCallFilter(ClientAuthenticator authenticator, RequestIds requestIds) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var body = await JsonBody.ReadObjectAsync(http.Request);
        var client = authenticator.Authenticate(http.Request, body);
        var prefix = http.GetEndpoint()!.Metadata.GetMetadata<ApiPrefix>()!;
        http.Features.Set(new ApiCall(prefix, body, client, requestIds.Of(http), $"{http.Request.Scheme}://{http.Request.Host}"));
        return await next(context);
    }
}
