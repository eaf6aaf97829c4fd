using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace FinqLink.Bulk
{
    /// <summary>What trying to hold a lane found.</summary>
    internal enum LaneClaim
    {
        /// <summary>This run holds the lane: no other run of this user on this machine can take it while it lives.</summary>
        Held,
        /// <summary>Another live run holds it.</summary>
        HeldByAnother,
        /// <summary>Lanes cannot be marked here (no usable folder, file locking switched off): chance decides, as across machines.</summary>
        Unavailable,
    }

    /// <summary>
    /// The expiry lanes this user's runs on this machine hold, per API client: a run locks a small file per lane it uses for
    /// as long as it lives. Runs that start together cannot see each other's links yet, so by chance alone two of them
    /// would pick one lane now and then, and a row of one could then be mistaken for a row of the other. Runs on other
    /// machines (or of other users) still choose by chance; reconciliation reports their uncertain rows as ambiguous when
    /// it sees them share a lane.
    /// </summary>
    /// <remarks>
    /// Hand-written because no library offers a cross-process named lock that works the same on Windows and Unix: an
    /// exclusive FileStream (FileShare.None) is one there (flock on Unix), released by the OS when a run dies. The files are
    /// never deleted (deleting one another run may be opening would let two runs hold "the same" lane); each holds its
    /// run's process id and start, which also keeps temp-folder cleaners from taking a file in use for an old one.
    /// </remarks>
    internal sealed class LaneReservations : IDisposable
    {
        /// <summary>More distinct base expiries than this in one run (an expiry computed per row) are left to chance.</summary>
        public const int MaxHeld = 64;

        private readonly string _folder;
        private readonly string _scope;
        private readonly List<FileStream> _held = new List<FileStream>();
        private bool _disposed;
        private bool? _lockingWorks;

        /// <param name="scope">What lanes belong to: the API host and the client id (another client's links never mix with these).</param>
        public LaneReservations(string scope, string? folder = null)
        {
            _folder = folder ?? Path.Combine(Path.GetTempPath(), "finqlink-lanes-" + Hash(Environment.UserName));
            _scope = Hash(scope);
        }

        public LaneClaim TryReserve(TimeSpan baseExpiry, int lane)
        {
            var path = Path.Combine(_folder, $"{_scope}-{(long)baseExpiry.TotalSeconds}-{lane}.lock");
            FileStream file;
            lock (_held)
            {
                if (_disposed || _held.Count >= MaxHeld || _lockingWorks == false) return LaneClaim.Unavailable;
                try
                {
                    Directory.CreateDirectory(_folder);
                    file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (Exception e) when ((e is IOException || e is UnauthorizedAccessException) && File.Exists(path)) { return LaneClaim.HeldByAnother; }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return LaneClaim.Unavailable; }
                if (_lockingWorks == null && !(_lockingWorks = IsExclusive(path)).Value)
                {
                    file.Dispose();
                    return LaneClaim.Unavailable;
                }
                Stamp(file);
                _held.Add(file);
                return LaneClaim.Held;
            }
        }

        public void Dispose()
        {
            lock (_held)
            {
                _disposed = true;
                foreach (var file in _held) file.Dispose();
                _held.Clear();
            }
        }

        // .NET skips the lock where the file system cannot lock or DOTNET_SYSTEM_IO_DISABLEFILELOCKING is set: then a second
        // open succeeds, and holding lanes would only pretend.
        private static bool IsExclusive(string path)
        {
            try
            {
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) return false;
            }
            catch (IOException) { return true; }
            catch (UnauthorizedAccessException) { return true; }
        }

        private static void Stamp(FileStream file)
        {
            try
            {
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                var text = Encoding.UTF8.GetBytes($"{self.Id} {DateTimeOffset.UtcNow:O}\n");
                file.SetLength(0);
                file.Write(text, 0, text.Length);
                file.Flush();
            }
            catch (IOException) { }   // a full disk: the lock holds all the same
        }

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(text)), 0, 8).Replace("-", "").ToLowerInvariant();
        }
    }
}
