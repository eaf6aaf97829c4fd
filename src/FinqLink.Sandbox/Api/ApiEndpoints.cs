using System;
using System.Linq;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// FinqLink's operations (all POST with a JSON body), in one route group per path prefix. The groups' filters count
/// the call, inject faults, then read the body and authenticate; errors are written by <see cref="ApiErrorHandler"/>.
/// v1 prefixes have no AIS operations, so <c>/v1/ais/*</c> is 404.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Every resource a fault rule may name.</summary>
    public static readonly string[] Resources =
    {
        "providers/list", "providers/get", "links/create", "links/get", "links/list",
        "ais/consents/create", "ais/consents/get", "ais/consents/revoke", "ais/consents/redirect",
        "ais/accounts/list", "ais/balances/list", "ais/transactions/list", "ais/jobs/create", "ais/jobs/get",
    };

    public static void MapFinqLinkApi(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var counters = services.GetRequiredService<Counters>();
        foreach (var prefix in ApiPrefix.All)
        {
            var group = app.MapGroup(prefix.Path).WithMetadata(prefix);
            group.AddEndpointFilter((context, next) =>
            {
                counters.Request();
                return next(context);
            });
            group.AddEndpointFilter<FaultFilter>();
            group.AddEndpointFilter<ApiCallFilter>();
            MapPay(group, services);
            if (!prefix.IsV1) MapData(group, services);
        }
        app.MapFallback("{**path}", (HttpContext http) => throw ApiException.NotFound("not_found", $"No API operation at {http.Request.Method} {http.Request.Path}"));
    }

    private static void MapPay(RouteGroupBuilder group, IServiceProvider services)
    {
        var links = services.GetRequiredService<LinkHandlers>();
        group.MapOperation("providers/list", ProviderHandlers.List);
        group.MapOperation("providers/get", ProviderHandlers.Get);
        group.MapOperation("links/create", links.Create);
        group.MapOperation("links/get", links.Get);
        group.MapOperation("links/list", links.List);
    }

    private static void MapData(RouteGroupBuilder group, IServiceProvider services)
    {
        var consents = services.GetRequiredService<ConsentHandlers>();
        var jobs = services.GetRequiredService<JobHandlers>();
        var data = services.GetRequiredService<DataHandlers>();
        foreach (var (verb, handle) in new (string, Func<ApiCall, object>)[]
                 {
                     ("create", consents.Create), ("get", consents.Get), ("revoke", consents.Revoke), ("redirect", consents.Redirect),
                 })
        {
            group.MapOperation($"ais/consents/{verb}", handle);
            group.MapOperation($"consents/{verb}", handle, $"ais/consents/{verb}");   // the Quick Start's spelling
        }
        group.MapOperation("ais/accounts/list", data.Accounts);
        group.MapOperation("ais/balances/list", data.Balances);
        group.MapOperation("ais/transactions/list", data.Transactions);
        group.MapOperation("ais/jobs/create", jobs.Create);
        group.MapOperation("ais/jobs/get", jobs.Get);
    }

    private static void MapOperation(this RouteGroupBuilder group, string path, Func<ApiCall, object> handle, string? resource = null)
    {
        resource ??= path;
        if (!Resources.Contains(resource)) throw new InvalidOperationException($"{resource} is missing from ApiEndpoints.Resources.");
        group.MapPost("/" + path, (HttpContext http) => handle(http.Features.GetRequiredFeature<ApiCall>())).WithMetadata(new ApiOperation(resource));
    }
}
