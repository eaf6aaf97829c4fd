using System;

namespace FinqLink.Waiting
{
    /// <summary>One object awaited: its id, how messages name it, what the caller gave for it, and what was last learnt.</summary>
    public sealed class WaitTarget<T> where T : class
    {
        public WaitTarget(string id, string name, object? input)
        {
            Id = id;
            Name = name;
            Input = input;
        }

        public string Id { get; }

        /// <summary>How messages name the object: its id, or its reference and id.</summary>
        public string Name { get; }

        /// <summary>The object the caller gave (a piped link keeps its reference and amount); the id when there was none.</summary>
        public object? Input { get; }

        /// <summary>The object as last read; null while it was never read.</summary>
        public T? Last { get; internal set; }

        /// <summary>Why the last read of this object failed, while it failed for a reason worth waiting out.</summary>
        public Exception? LastError { get; internal set; }
    }

    /// <summary>The page where a person acts on an awaited object (a payer pays, an account holder authorises).</summary>
    public sealed class ActionPage
    {
        public ActionPage(string name, string url)
        {
            Name = name;
            Url = url;
        }

        /// <summary>The object, as messages name it.</summary>
        public string Name { get; }
        public string Url { get; }
    }
}
