# Sourced by the terminal tests (tests/Terminal/*.sh): skips the test when tmux is absent, finds the built module and
# sandbox, and sets up what each test uses: $root, $manifest, $sandbox_dll, a temporary folder $work, a tmux socket of
# the test's own ($socket), pane(), which runs a tmux command on it, shown(), the non-blank lines of the test's screen(),
# end_pane(), which ends it, and $pwsh_command, the pwsh the pane runs: the test
# command's precompiled copy of the PowerShell tool (FINQLINK_TEST_PWSH_HOME, set by build.ps1), as an installed pwsh
# ships precompiled, else the tool itself.
#
# usage: . "$(dirname "$0")/lib/tmux-prelude.sh" <socket name> <what the test is, for the SKIP line>

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP: tmux is not installed, so $2 cannot run (apt-get install tmux)."
    exit 0
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
version=$(sed -n 's:.*<FinqLinkVersion>\(.*\)</FinqLinkVersion>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
manifest="$root/out/FinqLink/$version/FinqLink.psd1"
sandbox_dll="$root/out/sandbox/FinqLink.Sandbox.dll"
for built in "$manifest" "$sandbox_dll"; do
    [ -f "$built" ] || { echo "FAIL: $built is missing; build first (dotnet build FinqLink.sln)."; exit 1; }
done

work=$(mktemp -d)
socket="finqlink-$1-$$"
pane() { tmux -L "$socket" "$@"; }
# The lines of the test's screen() that are not blank (capture-pane fills the rest of the pane with blank lines).
shown() { screen | grep -v '^[[:space:]]*$'; }

# Ends session $1's pwsh with the command line $2 (ending in 'exit'), so pwsh removes its own pipes from the temp folder
# (a pwsh the server kills cannot), then the server, and the socket a server that ended with its last session leaves.
end_pane() {
    pane send-keys -t "$1" "$2" Enter >/dev/null 2>&1
    for _ in $(seq 1 100); do pane has-session -t "$1" >/dev/null 2>&1 || break; sleep 0.1; done
    pane kill-server >/dev/null 2>&1
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"
}

if [ -n "${FINQLINK_TEST_PWSH_HOME:-}" ] && [ -f "$FINQLINK_TEST_PWSH_HOME/pwsh.dll" ]; then
    pwsh_command="dotnet '$FINQLINK_TEST_PWSH_HOME/pwsh.dll'"
else
    pwsh_command="dotnet pwsh"
fi
