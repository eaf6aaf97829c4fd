using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The expiry lanes runs on this machine hold, per API client: a run locks a small file per lane it uses for as long as
    /// it lives. Runs that start together cannot see each other's links yet, so by chance alone two of them would pick one
    /// lane now and then, and a row of one could then be mistaken for a row of the other. Runs on other machines still
    /// choose by chance; reconciliation reports their uncertain rows as ambiguous when it sees them share a lane.
    /// </summary>
    /// <remarks>
    /// Hand-written because no library offers a cross-process named lock that works the same on Windows and Unix: an
    /// exclusive FileStream (FileShare.None) is one there (flock on Unix), released by the OS when a run dies. The files are
    /// never deleted: deleting a lock file another run may be opening would let two runs hold "the same" lane.
    /// </remarks>
    internal sealed class LaneReservations : IDisposable
    {
        private readonly string _folder;
        private readonly string _scope;
        private readonly List<FileStream> _held = new List<FileStream>();

        /// <param name="scope">What lanes belong to: the API's address and the client id (another client's links never mix with these).</param>
        public LaneReservations(string scope, string? folder = null)
        {
            _folder = folder ?? Path.Combine(Path.GetTempPath(), "finqlink-lanes");
            using var sha = SHA256.Create();
            _scope = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(scope)), 0, 8).Replace("-", "").ToLowerInvariant();
        }

        /// <summary>Holds the lane for this run; false when another live run on this machine holds it.</summary>
        public bool TryReserve(TimeSpan baseExpiry, int lane)
        {
            var path = Path.Combine(_folder, $"{_scope}-{(long)baseExpiry.TotalSeconds}-{lane}.lock");
            try
            {
                Directory.CreateDirectory(_folder);
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                lock (_held) _held.Add(file);
                return true;
            }
            catch (IOException) when (File.Exists(path)) { return false; }
            // No usable folder (read-only temp, a full disk): lanes are then chosen by chance alone, as across machines.
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return true; }
        }

        public void Dispose()
        {
            lock (_held)
            {
                foreach (var file in _held) file.Dispose();
                _held.Clear();
            }
        }
    }
}
