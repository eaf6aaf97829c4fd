using System;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>A measurement, not a test: it runs only when FINQLINK_BENCH=1 and prints its figures (run with a detailed console logger).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FINQLINK_BENCH") != "1") Skip = "benchmark: set FINQLINK_BENCH=1 to measure";
    }
}
