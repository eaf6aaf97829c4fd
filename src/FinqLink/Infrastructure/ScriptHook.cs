using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FinqLink.Auth;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// A script a session calls when it needs a signature or a token (Key Vault, an HSM, a token from elsewhere). Client
    /// code asks from worker threads, so the script runs on the pipeline thread of the FinqLink command that needs it, in
    /// that command's runspace. In another runspace than the one that connected (ForEach-Object -Parallel), it runs as a
    /// fresh copy of its text there: such a script must bring what it needs (its own Import-Module, no outside variables).
    /// </summary>
    internal sealed class ScriptHook
    {
        private readonly ScriptBlock _script;
        private readonly Runspace? _home = Runspace.DefaultRunspace;

        public ScriptHook(ScriptBlock script, string parameter)
        {
            _script = script;
            Parameter = parameter;
        }

        /// <summary>The parameter it came from, for messages.</summary>
        public string Parameter { get; }

        public Collection<PSObject> Invoke(TokenContext? context, params object[] arguments)
        {
            try
            {
                return context?.Log is PipelineQueue queue ? queue.OnPipelineThread(() => InvokeHere(arguments)) : InvokeInOwnRunspace(arguments);
            }
            catch (Exception e) when (e is RuntimeException || e is InvalidOperationException)
            {
                throw new FinqLinkCredentialException($"{Parameter}: the script failed: {e.Message}", e);
            }
        }

        private Collection<PSObject> InvokeHere(object[] arguments)
        {
            var script = ReferenceEquals(Runspace.DefaultRunspace, _home) ? _script : ScriptBlock.Create(_script.ToString());
            return script.Invoke(arguments);
        }

        /// <summary>No FinqLink command is waiting on a pipeline thread (tab completion, say): a runspace of its own.</summary>
        private Collection<PSObject> InvokeInOwnRunspace(object[] arguments)
        {
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.NewRunspace);
            shell.AddScript(_script.ToString());
            foreach (var argument in arguments) shell.AddArgument(argument);
            var output = shell.Invoke();
            if (shell.HadErrors && shell.Streams.Error.Count > 0) throw new InvalidOperationException(shell.Streams.Error[0].ToString());
            return output;
        }

        /// <summary>The one value a hook answered, unwrapped; an error naming the parameter when it answered none or several.</summary>
        public static PSObject Single(Collection<PSObject> output, string parameter, string what)
        {
            var values = output.Where(o => o != null).ToList();
            if (values.Count != 1) throw new FinqLinkCredentialException($"{parameter}: the script must output one {what}; it output {values.Count} objects.");
            return values[0];
        }
    }
}
