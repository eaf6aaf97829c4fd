using System;
using System.Globalization;

namespace FinqLink.Sandbox.Infrastructure;

public static class Json
{
    /// <summary>ISO-8601 UTC with a Z, the way the API writes timestamps.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? value) => value is null ? null : Time(value.Value);

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
