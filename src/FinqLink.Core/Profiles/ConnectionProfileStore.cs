using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinqLink.Auth.Keys;

namespace FinqLink.Profiles
{
    /// <summary>
    /// Profiles as one JSON file each in the user's config folder: FinqLink/profiles under %APPDATA% on Windows, under
    /// $XDG_CONFIG_HOME (or ~/.config) elsewhere. Files and folder are their owner's only on Unix.
    /// </summary>
    public sealed class ConnectionProfileStore
    {
        private const string Extension = ".json";

        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
        };

        public ConnectionProfileStore(string? folder = null) => Folder = folder ?? DefaultFolder();

        public string Folder { get; }

        /// <summary>The platform's answer: it reads XDG_CONFIG_HOME (absolute paths only, as the XDG spec says) on Unix.</summary>
        public static string DefaultFolder()
        {
            var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(config)) throw new ConnectionProfileException(ConnectionProfileError.Unavailable, "Profiles: this account has no config folder (no home folder, no XDG_CONFIG_HOME).");
            return System.IO.Path.Combine(config, "FinqLink", "profiles");
        }

        public IReadOnlyList<string> Names() =>
            Directory.Exists(Folder)
                ? Directory.EnumerateFiles(Folder, "*" + Extension).Select(f => System.IO.Path.GetFileNameWithoutExtension(f)!)
                    .OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList()
                : (IReadOnlyList<string>)Array.Empty<string>();

        /// <summary>Throws what <see cref="Write"/> would refuse, so a caller can refuse before it acts.</summary>
        public static void Validate(ConnectionProfile profile) => ConnectionProfileRules.Check(profile);

        public bool Exists(string name) => File.Exists(PathOf(ConnectionProfileRules.CheckName(name)));

        public ConnectionProfile Read(string name)
        {
            var path = PathOf(ConnectionProfileRules.CheckName(name));
            if (!File.Exists(path)) throw NotFound(name);
            ConnectionProfile? profile;
            try { profile = JsonSerializer.Deserialize<ConnectionProfile>(File.ReadAllText(path), Json); }
            catch (JsonException e)
            {
                throw new ConnectionProfileException(ConnectionProfileError.Invalid, $"Profile '{name}': {path} is not a profile ({e.Message}). Remove it with Remove-FinqConnectionProfile {name}.", e);
            }
            if (profile == null) throw new ConnectionProfileException(ConnectionProfileError.Invalid, $"Profile '{name}': {path} is empty.");
            profile.Name = name;
            profile.Path = path;
            ConnectionProfileRules.Check(profile);
            return profile;
        }

        /// <summary>Writes the profile whole or not at all: to a file of the owner's only, then moved over the old one.</summary>
        public string Write(ConnectionProfile profile)
        {
            ConnectionProfileRules.Check(profile);
            Directory.CreateDirectory(Folder);
            OwnerOnly.ApplyToFolder(Folder);
            var path = PathOf(profile.Name);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    OwnerOnly.Apply(temporary);   // before a byte is written
                    var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(profile, Json) + "\n");
                    stream.Write(bytes, 0, bytes.Length);
                }
                if (File.Exists(path)) File.Replace(temporary, path, null);
                else File.Move(temporary, path);
            }
            finally { if (File.Exists(temporary)) File.Delete(temporary); }
            profile.Path = path;
            return path;
        }

        public void Remove(string name)
        {
            var path = PathOf(ConnectionProfileRules.CheckName(name));
            if (!File.Exists(path)) throw NotFound(name);
            File.Delete(path);
        }

        /// <summary>Unknown: say which profiles exist, so the user sees the typo.</summary>
        public ConnectionProfileException NotFound(string name)
        {
            var names = Names();
            var known = names.Count == 0
                ? $"No profile is saved in {Folder}; save one with Connect-FinqLink … -SaveProfile {name}."
                : $"Saved profiles: {string.Join(", ", names)}.";
            return new ConnectionProfileException(ConnectionProfileError.NotFound, $"Profile '{name}' does not exist. {known}");
        }

        private string PathOf(string name) => System.IO.Path.Combine(Folder, name + Extension);
    }
}
