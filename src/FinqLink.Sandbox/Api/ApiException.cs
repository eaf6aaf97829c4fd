using System;

namespace FinqLink.Sandbox.Api;

/// <summary>An API failure, answered by <see cref="ApiErrorHandler"/> with FinqLink's flat error body.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    public int Status { get; }
    public string Code { get; }
    /// <summary>A Retry-After header value to send with the error (429).</summary>
    public string? RetryAfter { get; init; }

    public static ApiException Validation(string field, string rule) =>
        new(400, "validation_error", $"{field}: {rule}");

    public static ApiException BadRequest(string message) => new(400, "bad_request", message);

    public static ApiException Unauthorized(string message) => new(401, "unauthorized", message);

    public static ApiException NotFound(string code, string message) => new(404, code, message);
}
