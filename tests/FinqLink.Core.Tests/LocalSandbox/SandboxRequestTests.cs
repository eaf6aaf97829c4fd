using System;
using System.Collections;
using System.IO;
using FinqLink.LocalSandbox;
using Xunit;

namespace FinqLink.Core.Tests.LocalSandbox
{
    // One test sets PATH and FINQLINK_SANDBOX_PATH for the process: nothing may run beside it.
    [Collection(nameof(SandboxRequestTests))]
    public class SandboxRequestTests
    {
        [Theory]
        [InlineData("AdvanceClock", "advance_seconds")]
        [InlineData("SetClock", "offset_seconds")]
        public void Seconds_advance_or_set_the_clock_by_action(string action, string field)
        {
            var body = new SandboxActionArguments { Seconds = -300 }.ToBody(SandboxActions.Find(action), null);
            Assert.Equal(-300L, body[field]);
            Assert.Single(body.Keys);
        }

        [Fact]
        public void Arguments_override_extra_fields_and_faults_become_rule_objects()
        {
            var extra = new Hashtable { ["provider_id"] = "rzb_ro", ["note"] = "kept" };
            var body = new SandboxActionArguments { ProviderId = "bt_ro", Scenario = "funds_rejected", Faults = new[] { "links/create:fail-before=0.5" } }
                .ToBody(SandboxActions.Find("ApproveLink"), extra);
            Assert.Equal("bt_ro", body["provider_id"]);
            Assert.Equal("funds_rejected", body["scenario"]);
            Assert.Equal("kept", body["note"]);
            var rule = Assert.IsAssignableFrom<IDictionary>(Assert.Single((object[])body["rules"]!));
            Assert.Equal("links/create", rule["path"]);
            Assert.Equal(0.5, rule["fail-before"]);
            Assert.Equal("rzb_ro", extra["provider_id"]);
        }

        [Fact]
        public void A_client_needs_a_key_or_a_secret()
        {
            var e = Assert.Throws<ArgumentException>(() => new SandboxClientRegistration("c1").ToBody());
            Assert.Contains("PublicKeyPath or ClientSecret", e.Message);
        }

        [Fact]
        public void A_client_registration_names_its_fields()
        {
            var key = new Hashtable { ["kid"] = "k1", ["pem"] = "-----BEGIN PUBLIC KEY-----" };
            var body = new SandboxClientRegistration("c1") { ClientSecret = "s", PublicKey = key, RequiredTracking = new[] { "tenant_user_id" }, Replace = true }.ToBody();
            Assert.Equal("c1", body["client_id"]);
            Assert.Equal("c1", body["app_name"]);
            Assert.Equal("s", body["client_secret"]);
            Assert.Same(key, Assert.Single((object[])body["keys"]!));
            Assert.Equal(true, body["replace"]);
            Assert.Equal("k1", new SandboxClientRegistration("c1") { PublicKey = key }.KeyId);
        }

        [Theory]
        [InlineData(".config")]
        [InlineData("")]
        public void A_local_tool_manifest_runs_the_tool_from_the_manifests_folder(string manifestFolder)
        {
            var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "finqlink-manifest-" + Guid.NewGuid().ToString("N"))).FullName;
            var saved = Environment.GetEnvironmentVariable(SandboxCommand.PathVariable);
            var savedPath = Environment.GetEnvironmentVariable("PATH");
            try
            {
                Environment.SetEnvironmentVariable(SandboxCommand.PathVariable, null);
                Environment.SetEnvironmentVariable("PATH", root);
                var manifest = Path.Combine(Directory.CreateDirectory(Path.Combine(root, manifestFolder)).FullName, "dotnet-tools.json");
                File.WriteAllText(manifest, "{\"version\":1,\"isRoot\":true,\"tools\":{\"finqlink.sandbox\":{\"version\":\"0.1.0\",\"commands\":[\"finqlink-sandbox\"]}}}");
                var below = Directory.CreateDirectory(Path.Combine(root, "scripts", "tests")).FullName;

                var command = SandboxCommand.Find(null, below);

                Assert.Equal("dotnet", command.FileName);
                Assert.Equal(new[] { "tool", "run", "finqlink-sandbox", "--" }, command.PrefixArguments);
                Assert.Equal(root, command.WorkingDirectory);
            }
            finally
            {
                Environment.SetEnvironmentVariable(SandboxCommand.PathVariable, saved);
                Environment.SetEnvironmentVariable("PATH", savedPath);
                Directory.Delete(root, true);
            }
        }
    }

    [CollectionDefinition(nameof(SandboxRequestTests), DisableParallelization = true)]
    public class SandboxRequestTestsCollection { }
}
