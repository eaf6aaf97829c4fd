using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.Sandbox.Faults;

public enum FaultKind { None, RateLimit, FailBefore, DropBefore, FailAfter, DropAfter }

public readonly record struct FaultDecision(int LatencyMs, FaultKind Kind, FaultRule? Rule);

/// <summary>The active fault rules and the seeded dice that decide, call by call, which fault happens.</summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();
    private List<FaultRule> _rules = new();
    private Random _dice;

    public FaultPlan(int seed) => _dice = new Random(seed);

    public IReadOnlyList<FaultRule> Rules { get { lock (_gate) return _rules.ToList(); } }

    public void Set(IEnumerable<FaultRule> rules, int? seed = null)
    {
        lock (_gate)
        {
            _rules = rules.ToList();
            if (seed is { } s) _dice = new Random(s);
        }
    }

    public FaultDecision Decide(string resource)
    {
        lock (_gate)
        {
            var latency = 0;
            foreach (var rule in _rules)
            {
                if (!rule.Applies(resource)) continue;
                latency += rule.LatencyMs;
                var roll = _dice.NextDouble();
                foreach (var (rate, kind) in new[]
                         {
                             (rule.RateLimit, FaultKind.RateLimit), (rule.FailBefore, FaultKind.FailBefore), (rule.DropBefore, FaultKind.DropBefore),
                             (rule.FailAfter, FaultKind.FailAfter), (rule.DropAfter, FaultKind.DropAfter),
                         })
                {
                    if (roll < rate) return new FaultDecision(latency, kind, rule);
                    roll -= rate;
                }
            }
            return new FaultDecision(latency, FaultKind.None, null);
        }
    }
}
