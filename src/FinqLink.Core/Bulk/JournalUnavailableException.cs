using System;
using System.IO;

namespace FinqLink.Bulk
{
    /// <summary>The journal's store could not be opened (unreachable, or the credential was refused): nothing was sent.</summary>
    public sealed class JournalUnavailableException : IOException
    {
        public JournalUnavailableException(string message, Exception inner) : base(message, inner) { }
    }
}
