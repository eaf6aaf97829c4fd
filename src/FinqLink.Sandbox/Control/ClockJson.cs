using System;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Clock;
using FinqLink.Sandbox.Infrastructure;

namespace FinqLink.Sandbox.Control;

/// <summary>The control API's view of the <see cref="SandboxClock"/>: <c>{"now", "offset_seconds"}</c>; a change sets the offset or advances it.</summary>
public static class ClockJson
{
    public static JsonObject Write(SandboxClock clock) => new()
    {
        ["now"] = Json.Time(clock.GetUtcNow()), ["offset_seconds"] = (long)Math.Round(clock.Offset.TotalSeconds),
    };

    public static JsonObject Apply(SandboxClock clock, JsonObject body)
    {
        ControlInput.Only(body, "offset_seconds", "advance_seconds");
        var max = (long)SandboxClock.MaxOffset.TotalSeconds;
        var offset = ControlInput.Integer(body, "offset_seconds", -max, max);
        var advance = ControlInput.Integer(body, "advance_seconds", 0, max);
        if (offset is null == advance is null) throw ApiException.Validation("offset_seconds", "send either offset_seconds or advance_seconds");
        if (offset is { } seconds) clock.Offset = TimeSpan.FromSeconds(seconds);
        else
        {
            try { clock.Advance(TimeSpan.FromSeconds(advance!.Value)); }
            catch (ArgumentOutOfRangeException) { throw ApiException.Validation("advance_seconds", $"would take the offset beyond {max} seconds"); }
        }
        return Write(clock);
    }
}
