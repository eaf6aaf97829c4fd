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
    /// <summary>Tab-completes documented values of an open set: values outside it are still accepted.</summary>
    public abstract class KnownValuesCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Values { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Values.Where(t => t.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase)).Select(t => new CompletionResult(t));
    }

    /// <summary>The WebUI templates the docs list (they announce more).</summary>
    public sealed class UxTemplateCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> Values => Rules.KnownUxTemplates;
    }

    /// <summary>The balance types the docs list; banks may send others.</summary>
    public sealed class BalanceTypeCompleter : KnownValuesCompleter
    {
        protected override IEnumerable<string> Values => BalanceTypes.Known;
    }
}
