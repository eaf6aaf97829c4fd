using System;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FinqLink.Sandbox.Hosting;

public static class SandboxDateHeader
{
    /// <summary>
    /// Writes every response's Date header from the sandbox clock (Kestrel would write real time), so a skewed clock shows
    /// the same time in Date as in created_at, as a real server with a skewed clock would.
    /// </summary>
    public static void UseSandboxDateHeader(this IApplicationBuilder app)
    {
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.Date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
                return System.Threading.Tasks.Task.CompletedTask;
            });
            return next(http);
        });
    }
}
