#!/usr/bin/env bash
# The default views as a person sees them (#25): pwsh in a tmux pane of 80 and then 120 columns runs the module's
# commands against a local sandbox, and the screen comes back with capture-pane. Checks, at each width: no value is
# cut ('…') in any table or list; Get-FinqBalance of a whole consent shows one group header per account; Get-FinqLink's
# table is led by LinkId and has no Reference/Amount/Currency column; New-FinqLink's table shows the references; and
# what only fits at 120 columns (the created links' LinkId) appears at 120 and not at 80.
#
# usage: tests/Terminal/views-fit-the-console.sh   (after a build; about 30 s)
# Prints an 'ok' or 'FAIL' line per check; exits 0 when all passed, 1 otherwise; skips (exit 0) when tmux is absent.
set -uo pipefail

. "$(dirname "$0")/lib/tmux-prelude.sh" views 'the views terminal test'
# Every wait is for something to appear on the screen, given up after this long.
GIVE_UP_S=${GIVE_UP_S:-90}

# The whole pane, scrollback included, as it is drawn: long lines stay wrapped as the person sees them.
screen() { pane capture-pane -p -t views -S -5000; }

cleanup() {
    # Stop-FinqLinkSandbox first, so the sandbox and its log go.
    end_pane views '$sandbox | Stop-FinqLinkSandbox; exit'
    rm -rf "$work"
}
trap cleanup EXIT

# Waits until a line of the screen is exactly $1 (a marker the command prints, never its echo).
wait_for_line() {
    local until=$(( $(date +%s) + GIVE_UP_S ))
    until screen | grep -qx -- "$1"; do
        [ "$(date +%s)" -gt "$until" ] && return 1
        sleep 0.1
    done
}

cat >"$work/setup.ps1" <<EOF
function global:prompt { 'PROMPT> ' }
Import-Module '$manifest' -ErrorAction Stop
\$global:sandbox = Start-FinqLinkSandbox -Path '$sandbox_dll' -BankStepDelayMs 20 -JobStepDelayMs 20 -JobCooldownSec 0 -ErrorAction Stop
\$sandbox | Connect-FinqLink -ErrorAction Stop
\$consent = New-FinqConsent -ProviderId bt_ro
Invoke-FinqLinkSandbox ApproveConsent \$consent.ConsentId -ProviderId bt_ro | Out-Null
\$global:active = \$consent | Wait-FinqConsent -TimeoutSec 60 -PollIntervalSec 0.2 -InformationAction Ignore
\$global:created = 'INV-2026-0058', 'INV-2026-0059', 'REFUND-7' | ForEach-Object { [pscustomobject]@{ Reference = \$_; Amount = '1250.50'; Currency = 'RON' } } | New-FinqLink
\$global:journal = Join-Path '$work' 'views.journal'
\$global:ledgerMade = 'INV-2026-0101', 'INV-2026-0102' | ForEach-Object { [pscustomobject]@{ Reference = \$_; Amount = '1250.50'; Currency = 'RON' } } | New-FinqLink -JournalPath \$journal
Invoke-FinqLinkSandbox ApproveLink \$ledgerMade[0].LinkId | Out-Null
\$ledgerMade[0] | Wait-FinqLink -Status completed -TimeoutSec 60 -PollIntervalSec 0.2 | Out-Null
\$global:job = Start-FinqDataRefresh \$active.ConsentId
\$global:accountCount = @(Get-FinqAccount \$active.ConsentId).Count
"SETUP " + 'DONE'
EOF

# Each view: a name and the command whose default output (or table) is shown.
views=(
    'balances|Get-FinqBalance $active.ConsentId'
    'links listed|Get-FinqLink'
    'links listed table|Get-FinqLink | Format-Table'
    'link by id list|Get-FinqLink $created[0].LinkId | Format-List'
    'links created table|$created | Format-Table'
    'link created list|$created[0]'
    'providers|Get-FinqProvider'
    'payment methods|(Get-FinqProvider -IncludePaymentMethods).PaymentMethods'
    'consent list|$active'
    'consent table|$active | Format-Table'
    'accounts|Get-FinqAccount $active.ConsentId'
    'transactions|Get-FinqTransaction $active.ConsentId -First 30'
    'data refresh table|$job | Format-Table'
    'webhook keys|Get-FinqWebhookKey'
    'session list|Get-FinqSession'
    'session table|Get-FinqSession | Format-Table'
    'sandbox table|$sandbox | Format-Table'
    'sandbox stats table|Invoke-FinqLinkSandbox GetStats | Format-Table'
    'ledger|Get-FinqLink -JournalPath $journal -SummaryVariable totals'
    'ledger totals|$totals'
)

failures=0
ok() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

pane new-session -d -s views -x 80 -y 50 "cd '$root' && $pwsh_command -NoProfile -NoLogo"
pane set-option -t views history-limit 20000 >/dev/null
until_prompt=$(( $(date +%s) + GIVE_UP_S ))
until screen | grep -q '^PS '; do
    [ "$(date +%s)" -gt "$until_prompt" ] && { echo "FAIL: pwsh never showed its prompt:"; shown | tail -n 5; exit 1; }
    sleep 0.1
done
pane send-keys -t views ". '$work/setup.ps1'" Enter
if ! wait_for_line 'SETUP DONE'; then
    echo "FAIL: the pane could not be set up:"; shown | tail -n 15; exit 1
fi

# Runs one view at the pane's width and prints what the screen shows between its markers. The markers are numbered,
# and built by the command (its echo holds 'END' + ' 7', the output END 7), so no older output and no echo matches.
# (show runs in a $( ) subshell: the caller counts.)
shown=0
show() {
    local command=$1
    pane clear-history -t views
    pane send-keys -t views "Clear-Host; 'BEGIN' + ' $shown'; $command; 'END' + ' $shown'" Enter
    wait_for_line "END $shown" || { echo "(no END $shown within ${GIVE_UP_S} s)"; screen | tail -n 5; return 1; }
    screen | sed -n "/^BEGIN $shown\$/,/^END $shown\$/p" | sed '1d;$d'
}

# LinkId only fits at 120: shown whole there, and not even partly at 80.
# usage: check_link_id_column <width> <captured screen> <what it shows>
check_link_id_column() {
    local id_column
    id_column=$(grep -c ' LinkId *$' "$2")
    if { [ "$1" -eq 120 ] && [ "$id_column" -eq 1 ]; } || { [ "$1" -eq 80 ] && [ "$id_column" -eq 0 ]; }; then
        ok "$1 columns, $3: LinkId column $( [ "$1" -eq 120 ] && echo shown || echo left out whole)"
    else fail "$1 columns, $3: LinkId column count $id_column"; sed 's/^/    /' "$2"; fi
}

check_width() {
    local width=$1
    pane resize-window -t views -x "$width" -y 50
    pane send-keys -t views 'Clear-Host; "WIDTH " + $Host.UI.RawUI.BufferSize.Width' Enter
    if ! wait_for_line "WIDTH $width"; then fail "$width columns: pwsh never saw a $width-column console"; return; fi

    for entry in "${views[@]}"; do
        local name=${entry%%|*} command=${entry#*|}
        local text
        shown=$((shown + 1))
        text=$(show "$command")
        local label="$width columns, $name ($command)"
        if [ -z "$(printf '%s' "$text" | tr -d '[:space:]')" ]; then fail "$label: nothing was shown"; screen | tail -n 30 | sed 's/^/    | /'; continue; fi
        if printf '%s\n' "$text" | grep -q '…'; then
            fail "$label: a value is cut:"; printf '%s\n' "$text" | grep '…' | head -n 3 | sed 's/^/    /'
        else ok "$label: nothing cut"; fi
        printf '%s\n' "$text" >"$work/$width-${name// /-}.txt"
    done

    # One group per account: the API interleaves accounts by date; Get-FinqBalance must not.
    pane send-keys -t views 'Clear-Host; "ACCOUNTS " + $accountCount' Enter
    wait_for_line "ACCOUNTS [0-9]*" >/dev/null
    local accounts headers id_column
    accounts=$(screen | sed -n 's/^ACCOUNTS \([0-9]*\)$/\1/p' | tail -n 1)
    headers=$(grep -c '^ *AccountId: ' "$work/$width-balances.txt")
    if [ -n "$accounts" ] && [ "$accounts" -gt 1 ] && [ "$headers" -eq "$accounts" ]; then
        ok "$width columns, balances: one group header per account ($headers for $accounts accounts)"
    else fail "$width columns, balances: $headers group headers for ${accounts:-?} accounts"; fi

    for listed in "links-listed" "links-listed-table"; do
        local header
        header=$(grep -m1 -B1 '^-' "$work/$width-$listed.txt" | head -n 1)
        if [[ $header == LinkId* ]] && [[ $header != *Reference* ]] && [[ $header != *Amount* ]] && [[ $header != *Currency* ]]; then
            ok "$width columns, $listed: led by LinkId, no Reference/Amount/Currency column ($(echo $header))"
        else fail "$width columns, $listed: the header is '$header'"; fi
    done

    local ledger="$work/$width-ledger.txt" totals="$work/$width-ledger-totals.txt"
    if grep -q '^INV-2026-0101 *completed *1250\.50 RON ' "$ledger" && grep -q '^INV-2026-0102 *created *1250\.50 RON ' "$ledger"; then
        ok "$width columns, ledger: each row's Reference, Status, Amount and Currency"
    else fail "$width columns, ledger: rows missing:"; sed 's/^/    /' "$ledger"; fi
    if grep -q '^RON  *2  *2  *1  *1250\.50  *1  *1250\.50  *0  *0$' "$totals"; then
        ok "$width columns, ledger totals: one line per currency, amounts whole"
    else fail "$width columns, ledger totals:"; sed 's/^/    /' "$totals"; fi
    check_link_id_column "$width" "$ledger" 'ledger'

    local created="$work/$width-links-created-table.txt"
    if grep -q '^Reference ' "$created" && grep -q '^INV-2026-0058 ' "$created" && grep -q '^REFUND-7 ' "$created" && grep -q ' 1250\.50 RON ' "$created"; then
        ok "$width columns, links created table: shows each Reference, Amount and Currency"
    else fail "$width columns, links created table: references or amounts missing:"; sed 's/^/    /' "$created"; fi
    check_link_id_column "$width" "$created" 'links created table'
}

check_width 80
check_width 120

if [ $failures -gt 0 ]; then echo "Views terminal test: $failures failed"; exit 1; fi
echo "Views terminal test: passed (${#views[@]} views at 80 and 120 columns)"
