using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FinqLink.Models.Data;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Tab-completes documented values; whether other values are accepted is the parameter's business.</summary>
    public abstract class KnownValuesCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> ValuesFor(string parameterName);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ValuesFor(parameterName).Where(t => t.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                .Select(t => new CompletionResult(t));
    }

    /// <summary>The closed set Core checks for this parameter (flow types, remitter types, schemes, environments…).</summary>
    public sealed class ApiValuesCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> ValuesFor(string parameterName) => ParameterNames.AllowedFor(parameterName) ?? Array.Empty<string>();
    }

    /// <summary>The WebUI templates the docs list (they announce more).</summary>
    public sealed class UxTemplateCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> ValuesFor(string parameterName) => Rules.KnownUxTemplates;
    }

    /// <summary>The balance types the docs list; banks may send others.</summary>
    public sealed class BalanceTypeCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> ValuesFor(string parameterName) => BalanceTypes.Known;
    }

    /// <summary>ISO 4217 currency codes.</summary>
    public sealed class CurrencyCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> ValuesFor(string parameterName) => Currencies.All.OrderBy(c => c, StringComparer.Ordinal);
    }

    /// <summary>The providers of the current session, asked once and kept for ten minutes; nothing when not connected.</summary>
    public sealed class ProviderIdCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> ValuesFor(string parameterName) => SessionStore.Current?.ProviderIds() ?? Array.Empty<string>();
    }
}
