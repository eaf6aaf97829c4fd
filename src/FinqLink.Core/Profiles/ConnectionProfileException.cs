using System;

namespace FinqLink.Profiles
{
    public enum ConnectionProfileError
    {
        /// <summary>No profile has that name.</summary>
        NotFound,

        /// <summary>The profile (or the one being saved) breaks a rule: a bad name, a file that is not a profile, a secret in a field.</summary>
        Invalid,

        /// <summary>The profile names something that is not there: a key file that is gone, a variable that is not set.</summary>
        Unavailable,
    }

    /// <summary>A profile that cannot be read, saved or used; the message names the profile and what to do.</summary>
    public sealed class ConnectionProfileException : Exception
    {
        public ConnectionProfileException(ConnectionProfileError error, string message, Exception? inner = null) : base(message, inner) => Error = error;

        public ConnectionProfileError Error { get; }
    }
}
