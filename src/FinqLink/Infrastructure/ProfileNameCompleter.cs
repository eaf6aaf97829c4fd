using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Tab completion of saved connection profiles' names.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> names;
            try { names = new ConnectionProfileStore().Names(); }
            catch (System.Exception e) when (e is ConnectionProfileException || e is System.IO.IOException || e is System.UnauthorizedAccessException) { yield break; }
            foreach (var name in names.Where(n => n.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase)))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
