#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Bulk runs users can bet money on, in real pwsh against the sandbox: exact amounts, the journal as a lock and a log,
# changed rows, references, SIGKILL of the engine, a full disk, concurrent runs for one client, and clock skew.
# Every scenario checks what the sandbox received (GET /sandbox/links), not only what the cmdlet said.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
    $script:Sandbox = Start-FinqLinkTestSandbox
    $Sandbox | Connect-FinqLink
    $script:Manifest = Get-FinqLinkTestManifest
    $script:RowScript = Join-Path $PSScriptRoot 'Bulk/Send-TestRows.ps1'

    # The links the sandbox received for rows named <Prefix>-<n> (their remittance information), as it received them.
    function Get-SentLink([string] $Prefix, $From = $script:Sandbox) {
        @((Invoke-FinqLinkSandbox GetLinks -Sandbox $From).links | Where-Object { $_.single_transfer.remittance_information -like "$Prefix-*" })
    }

    # A CSV of rows named <Prefix>-1..<Count> (invoice number and description), each with its own amount.
    function New-TestCsv([string] $Prefix, [int] $Count) {
        $path = Join-Path $Work "$Prefix.csv"
        1..$Count | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "$Prefix-$_"; Amount = '{0}.{1:00}' -f (10 + $_), ($_ % 100); Currency = 'RON'; Description = "$Prefix-$_" } } |
            Export-Csv $path -NoTypeInformation
        $path
    }

    # Bulk/Send-TestRows.ps1 in a pwsh process of its own (optionally inside -Wrapper, such as unshare), connected as the demo client.
    function Start-RowsProcess([string] $CsvPath, [string] $JournalPath, [string] $ResultPath, [string] $PidPath, $To = $script:Sandbox, [string[]] $Wrapper = @(), [int] $ThrottleLimit = 8) {
        $command = @(Get-FinqLinkTestPwshCommand)
        $command += '-NoProfile', '-NonInteractive', '-File', $RowScript, '-Manifest', $Manifest, '-CsvPath', $CsvPath, '-JournalPath', $JournalPath,
            '-ResultPath', $ResultPath, '-ThrottleLimit', $ThrottleLimit
        if ($PidPath) { $command += '-PidPath', $PidPath }
        $command = @($Wrapper) + $command
        $info = [System.Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($argument in $command | Select-Object -Skip 1) { $info.ArgumentList.Add([string] $argument) }
        $info.UseShellExecute = $false
        $info.Environment['FINQLINK_BASE_URI'] = "$($To.BaseUri)"
        $info.Environment['FINQLINK_CLIENT_ID'] = 'demo'
        $info.Environment['FINQLINK_CLIENT_SECRET'] = 'demo-secret'
        [System.Diagnostics.Process]::Start($info)
    }

    function Wait-RowsProcess([System.Diagnostics.Process] $Process, [string] $ResultPath, [int] $TimeoutSec = 120) {
        if (-not $Process.WaitForExit($TimeoutSec * 1000)) { $Process.Kill($true); throw "The bulk run did not finish in $TimeoutSec s." }
        if (-not (Test-Path $ResultPath)) { throw "The bulk run wrote no result (exit code $($Process.ExitCode))." }
        Get-Content $ResultPath -Raw | ConvertFrom-Json
    }

    function Wait-ForFile([string] $Path, [int] $TimeoutSec = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (Test-Path $Path)) { if ([DateTime]::UtcNow -gt $deadline) { throw "$Path did not appear." }; Start-Sleep -Milliseconds 20 }
    }

    # No row got two links, every output holds its own row's link, and rows in = outputs + errors.
    function Assert-ExactlyOnce([string] $Prefix, [int] $Rows, $Outputs, $Errors, $From = $script:Sandbox) {
        $sent = Get-SentLink $Prefix $From
        $twice = @($sent | Group-Object { $_.single_transfer.remittance_information } | Where-Object Count -gt 1)
        $twice.Name | Should -BeNullOrEmpty -Because 'no row gets two links'
        $byId = @{}
        foreach ($link in $sent) { $byId[$link.link_id] = $link }
        foreach ($output in @($Outputs)) {
            $byId[$output.LinkId].single_transfer.remittance_information | Should -Be $output.Reference -Because "row $($output.Reference) holds its own link"
        }
        @($Outputs).Count + @($Errors).Count | Should -Be $Rows -Because 'every row ends as one output or one error'
    }
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Amounts, exactly as a person reads them' {
    BeforeAll {
        # One row through New-FinqLink; returns the amount text the sandbox received, or the row's error.
        function Send-Amount($Value, [string] $Currency = 'RON', [string] $Culture) {
            $name = "AMT-$([guid]::NewGuid().ToString('N'))"
            $row = [pscustomobject]@{ InvoiceNumber = $name; Amount = $Value; Currency = $Currency; Description = "$name-1" }
            $arguments = @{ ErrorVariable = 'failed'; ErrorAction = 'SilentlyContinue' }
            if ($Culture) { $arguments.AmountCulture = $Culture }
            $before = (Invoke-FinqLinkSandbox GetStats).links_created
            $link = $row | New-FinqLink @arguments
            if ($failed) {
                (Invoke-FinqLinkSandbox GetStats).links_created | Should -Be $before -Because 'nothing is sent for a bad row'
                return [pscustomobject]@{ Error = $failed[0] }
            }
            [pscustomobject]@{ Sent = (Get-SentLink $name | Where-Object link_id -eq $link.LinkId).single_transfer.amount; Link = $link }
        }
    }

    It 'a CSV cell <Value> (<Currency>, culture <Culture>) is sent as <Sent>' -ForEach @(
        @{ Value = '12.50'; Currency = 'RON'; Culture = ''; Sent = '12.50' }
        @{ Value = '1250'; Currency = 'RON'; Culture = ''; Sent = '1250.00' }
        @{ Value = '12.5'; Currency = 'RON'; Culture = ''; Sent = '12.50' }
        @{ Value = ' 0.99 '; Currency = 'EUR'; Culture = ''; Sent = '0.99' }
        @{ Value = '1000'; Currency = 'JPY'; Culture = ''; Sent = '1000' }
        @{ Value = '0.5'; Currency = 'EUR'; Culture = ''; Sent = '0.50' }
        @{ Value = '12,50'; Currency = 'RON'; Culture = 'ro-RO'; Sent = '12.50' }
        @{ Value = '1.250,50'; Currency = 'RON'; Culture = 'ro-RO'; Sent = '1250.50' }
        @{ Value = '1,200.00'; Currency = 'USD'; Culture = 'en-US'; Sent = '1200.00' }
        @{ Value = '1.250.000,00'; Currency = 'EUR'; Culture = 'de-DE'; Sent = '1250000.00' }
    ) {
        (Send-Amount $Value $Currency $Culture).Sent | Should -BeExactly $Sent
    }

    It 'a typed <Kind> is taken as it is: <Sent>' -ForEach @(
        @{ Kind = 'decimal'; Value = [decimal] '12.5'; Sent = '12.50' }
        @{ Kind = 'int'; Value = 12; Sent = '12.00' }
        @{ Kind = 'double literal'; Value = 19.99; Sent = '19.99' }
        @{ Kind = 'long'; Value = [long] 7; Sent = '7.00' }
        @{ Kind = 'number literal with a suffix in a script'; Value = 10kb; Sent = '10240.00' }
    ) {
        (Send-Amount $Value).Sent | Should -BeExactly $Sent
    }

    It 'refuses <Value> (<Currency>, culture <Culture>) for its row: <Rule>' -ForEach @(
        @{ Value = '12,50'; Currency = 'RON'; Culture = ''; Rule = "'12,50' is not an amount in the API's format (digits and an optional '.', such as 1250.50): ',' looks like a decimal separator; write '.' (12.50), or read the file with its culture (for example ro-RO)" }
        @{ Value = '1,200.00'; Currency = 'RON'; Culture = ''; Rule = "'1,200.00' is not an amount in the API's format (digits and an optional '.', such as 1250.50): ',' looks like a thousands separator; remove it (1200.00), or read the file with its culture (for example en-US)" }
        @{ Value = '1.200,50'; Currency = 'RON'; Culture = ''; Rule = "'1.200,50' is not an amount in the API's format (digits and an optional '.', such as 1250.50): '.' looks like a thousands separator and ',' like the decimal one; read the file with its culture (for example ro-RO or de-DE)" }
        @{ Value = '12.500'; Currency = 'RON'; Culture = ''; Rule = "'12.500' has 3 decimal places and RON has 2; if '.' separates thousands here, read the file with its culture (for example ro-RO or de-DE)" }
        @{ Value = '0x10'; Currency = 'RON'; Culture = ''; Rule = "'0x10' is not an amount in the API's format (digits and an optional '.', such as 1250.50): hexadecimal is not accepted" }
        @{ Value = '10kb'; Currency = 'RON'; Culture = ''; Rule = "'10kb' is not an amount in the API's format (digits and an optional '.', such as 1250.50): only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" }
        @{ Value = '1,2,3'; Currency = 'RON'; Culture = ''; Rule = "'1,2,3' is not an amount in the API's format (digits and an optional '.', such as 1250.50): write it as digits with an optional decimal part, such as 1250.50" }
        @{ Value = '5d'; Currency = 'RON'; Culture = ''; Rule = "'5d' is not an amount in the API's format (digits and an optional '.', such as 1250.50): only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" }
        @{ Value = '1e3'; Currency = 'RON'; Culture = ''; Rule = "'1e3' is not an amount in the API's format (digits and an optional '.', such as 1250.50): exponents are not accepted; write the digits out" }
        @{ Value = '€12.50'; Currency = 'EUR'; Culture = ''; Rule = "'€12.50' is not an amount in the API's format (digits and an optional '.', such as 1250.50): only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" }
        @{ Value = '1 250.50'; Currency = 'RON'; Culture = ''; Rule = "'1 250.50' is not an amount in the API's format (digits and an optional '.', such as 1250.50): spaces are not accepted inside an amount" }
        @{ Value = '-5'; Currency = 'RON'; Culture = ''; Rule = "'-5' is not an amount in the API's format (digits and an optional '.', such as 1250.50): amounts are positive" }
        @{ Value = '0'; Currency = 'RON'; Culture = ''; Rule = 'must be greater than zero (got 0)' }
        @{ Value = ''; Currency = 'RON'; Culture = ''; Rule = 'is empty' }
        @{ Value = '12.5'; Currency = 'JPY'; Culture = ''; Rule = "'12.5' has 1 decimal place and JPY has 0" }
        @{ Value = '12.50'; Currency = 'EUR'; Culture = 'de-DE'; Rule = "'12.50' is not an amount as de-DE writes one (decimal separator ',', thousands '.' in groups of three): in de-DE '.' only separates thousands, in groups of three (1.250,50)" }
    ) {
        $answer = Send-Amount $Value $Currency $Culture
        $answer.Error.FullyQualifiedErrorId | Should -BeLike 'FinqLink.InvalidInput.Amount,*'
        $answer.Error.Exception.Message | Should -BeExactly "$($answer.Error.TargetObject.InvoiceNumber): -Amount: $Rule"
    }

    It 'refuses a typed <Kind> that cannot be written in the currency: <Rule>' -ForEach @(
        @{ Kind = 'double with hidden digits'; Value = 0.1 + 0.2; Rule = "0.30000000000000004 has more decimal places than RON's 2; give the amount as text or a [decimal] with at most 2 decimal places" }
        @{ Kind = 'decimal with a third digit'; Value = [decimal] '12.505'; Rule = "12.505 has more decimal places than RON's 2; give the amount as text or a [decimal] with at most 2 decimal places" }
        @{ Kind = 'boolean'; Value = $true; Rule = 'a value of type Boolean is not an amount: give a number or text such as 150.00' }
    ) {
        (Send-Amount $Value).Error.Exception.Message | Should -BeLike "*-Amount: $([WildcardPattern]::Escape($Rule))"
    }

    It 'reads a ;-delimited Romanian CSV only when told its culture, whatever culture pwsh runs in' {
        $path = Join-Path $Work 'ro.csv'
        "Factura;Suma;Moneda;Detalii`nRO-1;12,50;RON;RO-1-a`nRO-2;1.250,75;RON;RO-2-a" | Set-Content $path
        $saved = [CultureInfo]::CurrentCulture
        [CultureInfo]::CurrentCulture = 'ro-RO'
        try {
            $rows = Import-Csv $path -Delimiter ';' | Select-Object @{ n = 'Reference'; e = { $_.Factura } }, @{ n = 'Amount'; e = { $_.Suma } }, @{ n = 'Currency'; e = { $_.Moneda } }, @{ n = 'Description'; e = { $_.Detalii } }
            $refused = @($rows | New-FinqLink -ErrorVariable failed -ErrorAction SilentlyContinue)
            $refused | Should -BeNullOrEmpty
            $failed.Count | Should -Be 2
            $failed[0].Exception.Message | Should -BeLike "RO-1: -Amount: '12,50' is not an amount in the API's format*read the file with its culture (for example ro-RO)"
            $links = @($rows | New-FinqLink -AmountCulture ro-RO)
            ($links | ForEach-Object { $id = $_.LinkId; ((Get-SentLink 'RO') | Where-Object link_id -eq $id).single_transfer.amount }) | Should -Be @('12.50', '1250.75')
            ([pscustomobject]@{ Amount = '12.50'; Currency = 'RON'; Description = 'RO-3-a' } | New-FinqLink).Amount | Should -Be 12.50 -Because 'the current culture never changes how text is read'
        }
        finally { [CultureInfo]::CurrentCulture = $saved }
    }

    It 'refuses a row without an Amount or Currency column as its own row, named and counted' {
        $rows = @(
            [pscustomobject]@{ Reference = 'MISS-1'; Amount = '5.00'; Currency = 'RON' }
            [pscustomobject]@{ Reference = 'MISS-2'; Currency = 'RON' }
            [pscustomobject]@{ Reference = 'MISS-3'; Amount = '6.00' }
            [pscustomobject]@{ 'InvoiceNumber;Amount;Currency' = 'MISS-4;7,00;RON' }
        )
        $links = @($rows | New-FinqLink -SummaryVariable run -ErrorVariable failed -ErrorAction SilentlyContinue)
        $links.Reference | Should -Be 'MISS-1'
        $failed.FullyQualifiedErrorId -replace ',.*' | Should -Be @('FinqLink.InvalidInput.Amount', 'FinqLink.InvalidInput.Currency', 'FinqLink.InvalidInput.Amount')
        $failed[0].Exception.Message | Should -BeLike 'MISS-2: -Amount: is required*'
        $failed[1].Exception.Message | Should -BeLike 'MISS-3: -Currency: is required*'
        $failed[2].Exception.Message | Should -BeLike 'row 4: -Amount: is required*' -Because 'a CSV read with the wrong delimiter has one column, and no row name'
        $run.Rows | Should -Be 4
        $run.Rejected | Should -Be 3
    }

    It 'treats every optional column as strictly as the amount' {
        $rows = @(
            [pscustomobject]@{ Reference = 'OPT-1'; Amount = '5.00'; Currency = 'RON'; Description = 'OPT-1-a'; ExpiresIn = '2 days' }
            [pscustomobject]@{ Reference = 'OPT-2'; Amount = '5.00'; Currency = 'RON'; Description = 'OPT-2-a'; UserEditable = 'maybe' }
            [pscustomobject]@{ Reference = 'OPT-3'; Amount = '5.00'; Currency = 'RON'; Description = 'OPT-3-a'; ExpiresIn = '2.00:00:00'; UserEditable = 'true'; Type = 'invoice' }
            [pscustomobject]@{ Reference = 'OPT-4'; Amount = '5.00'; Currency = 'RON'; Description = 'OPT-4-a'; iban = 'RO10RZBR0000069999999971' }
        )
        $links = @($rows | New-FinqLink -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.FullyQualifiedErrorId | Should -BeLike 'FinqLink.InvalidInput.*'
        $failed[0].Exception.Message | Should -BeLike "OPT-1: -ExpiresIn: '2 days'*"
        $failed[1].Exception.Message | Should -BeLike "OPT-2: -UserEditable: 'maybe'*"
        $failed[2].Exception.Message | Should -BeLike "OPT-4: -CreditorIban (column iban): *mod-97*" -Because 'the error names the column as the file spells it'
        $failed.Count | Should -Be 3
        $typed = [pscustomobject]@{ Reference = 'OPT-5'; Amount = '5.00'; Currency = 'RON'; Iban = 'RO10RZBR0000069999999970' } |
            New-FinqLink -CreditorIban 'RO10RZBR0000069999999971' -ErrorVariable typedFailed -ErrorAction SilentlyContinue
        $typed | Should -BeNullOrEmpty
        $typedFailed[0].Exception.Message | Should -BeLike "OPT-5: -CreditorIban: *" -Because 'a value typed on the command line did not come from a column'
        $links.Reference | Should -Be 'OPT-3' -Because "a column named Type is not the flow type"
        $sent = Get-SentLink 'OPT-3'
        ([DateTimeOffset] $sent.expires_at - [DateTimeOffset] $sent.created_at).TotalHours | Should -BeGreaterOrEqual 48
        ([DateTimeOffset] $sent.expires_at - [DateTimeOffset] $sent.created_at).TotalHours | Should -BeLessOrEqual 54 -Because 'expiry lanes add at most an eighth'
    }
}

Describe 'What New-FinqLink writes for each row' {
    It 'with -PassThru, the input row with its link, the expiry in ISO 8601 whatever the culture' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $out = Join-Path $Work 'passthru.csv'
            Import-Csv (New-TestCsv 'PASS' 2) | New-FinqLink -PassThru | Export-Csv $out -NoTypeInformation
        }
        finally { [cultureinfo]::CurrentCulture = $saved }
        $rows = @(Import-Csv $out)
        $rows.InvoiceNumber | Should -Be @('PASS-1', 'PASS-2')
        $rows.Description | Should -Be @('PASS-1', 'PASS-2') -Because "the row's other columns are kept"
        $rows.LinkId | Should -Not -Contain '' -Because "every row got its link"
        foreach ($row in $rows) { $row.ExpiresAt | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$' }
    }

    It 'the same CreatedAt for a row answered from the journal as when its link was made' {
        $csv = New-TestCsv 'AGAIN' 2
        $journal = Join-Path $Work 'again.journal'
        $made = @(Import-Csv $csv | New-FinqLink -JournalPath $journal)
        $again = @(Import-Csv $csv | New-FinqLink -JournalPath $journal)
        $again.FromJournal | Should -Be @($true, $true)
        $made.CreatedAt | Should -Not -BeNullOrEmpty
        ($again.CreatedAt | ForEach-Object ToString) | Should -Be @($made.CreatedAt | ForEach-Object ToString)
    }
}

Describe 'The journal is a lock and a log' {
    It 'refuses a second run on a journal in use at once, and lets the first finish' {
        $slow = Start-FinqLinkTestSandbox -Options @{ Fault = 'links/create:latency=150' }
        try {
            $csv = New-TestCsv 'LOCK' 40
            $journal = Join-Path $Work 'lock.journal'
            $result = Join-Path $Work 'lock.json'
            $first = Start-RowsProcess $csv $journal $result -To $slow -ThrottleLimit 2
            Wait-ForFile $journal
            $slow | Connect-FinqLink
            $clock = [Diagnostics.Stopwatch]::StartNew()
            { Import-Csv $csv | New-FinqLink -JournalPath $journal -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.JournalInUse*' -ExpectedMessage "*$journal*"
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3 -Because 'a second run is told at once, not after waiting'
            $run = Wait-RowsProcess $first $result
            Assert-ExactlyOnce 'LOCK' 40 $run.Outputs $run.Errors -From $slow
            @($run.Errors).Count | Should -Be 0
            (Get-SentLink 'LOCK' $slow).Count | Should -Be 40
        }
        finally { $slow | Stop-FinqLinkSandbox; $Sandbox | Connect-FinqLink }
    }

    It 'refuses a journal of another API address before sending anything, naming both' {
        # A dry run against one sandbox, then the same CSV and journal against another: the journal's links do not exist
        # there, so answering the rows from it would hand the payers links that were never made.
        $other = Start-FinqLinkTestSandbox
        try {
            $csv = New-TestCsv 'ELSEWHERE' 2
            $journal = Join-Path $Work 'elsewhere.journal'
            @(Import-Csv $csv | New-FinqLink -JournalPath $journal).Count | Should -Be 2
            $other | Connect-FinqLink
            { Import-Csv $csv | New-FinqLink -JournalPath $journal -ErrorAction Stop } |
                Should -Throw -ErrorId 'FinqLink.JournalOfAnotherClient*' -ExpectedMessage "*records the links of client demo at $("$($Sandbox.BaseUri)".TrimEnd('/')); this session is client demo at $("$($other.BaseUri)".TrimEnd('/')).*"
            (Invoke-FinqLinkSandbox GetStats -Sandbox $other).links_created | Should -Be 0
            $Sandbox | Connect-FinqLink
            @(Import-Csv $csv | New-FinqLink -JournalPath $journal | Where-Object FromJournal).Count | Should -Be 2
            @(Get-FinqLink -JournalPath $journal).Reference | Should -Be @('ELSEWHERE-1', 'ELSEWHERE-2')
        }
        finally { $other | Stop-FinqLinkSandbox; $Sandbox | Connect-FinqLink }
    }

    It 'repairs a torn last line, says so, and answers every row from the journal' {
        $csv = New-TestCsv 'TORN' 6
        $journal = Join-Path $Work 'torn.journal'
        $first = @(Import-Csv $csv | New-FinqLink -JournalPath $journal)
        [IO.File]::AppendAllText($journal, '{"key":"ref:TORN-7","state":"pend')
        $again = @(Import-Csv $csv | New-FinqLink -JournalPath $journal -WarningVariable warned -WarningAction SilentlyContinue)
        $warned | Should -BeLike 'Journal repaired*'
        $again.FromJournal | Should -Not -Contain $false
        $again.LinkId | Should -Be $first.LinkId
        Get-Content $journal | ForEach-Object { { $_ | ConvertFrom-Json } | Should -Not -Throw }
        (Get-SentLink 'TORN').Count | Should -Be 6
    }

    It 'refuses a row changed since its link was made, naming what changed, and supersedes it only when told' {
        $csv = New-TestCsv 'CHG' 3
        $journal = Join-Path $Work 'changed.journal'
        $first = @(Import-Csv $csv | New-FinqLink -JournalPath $journal)
        $fixed = Import-Csv $csv | ForEach-Object { if ($_.InvoiceNumber -eq 'CHG-2') { $_.Amount = '99.99' }; $_ }
        $again = @($fixed | New-FinqLink -JournalPath $journal -ErrorVariable failed -ErrorAction SilentlyContinue)
        $again.Count | Should -Be 2
        $failed.FullyQualifiedErrorId | Should -BeLike 'FinqLink.Bulk.Changed*'
        $failed[0].Exception.Message | Should -BeLike '*CHG-2*amount*'
        (Get-SentLink 'CHG').Count | Should -Be 3 -Because 'nothing was sent for the changed row'
        $superseded = @($fixed | New-FinqLink -JournalPath $journal -Supersede)
        ($superseded | Where-Object Reference -eq 'CHG-2').SupersededLinkIds | Should -Be ($first | Where-Object Reference -eq 'CHG-2').LinkId
        ((Get-SentLink 'CHG') | Where-Object { $_.single_transfer.amount -eq '99.99' }).Count | Should -Be 1
    }

    It 'takes " Q-2 " and "q-2" for one invoice' {
        $journal = Join-Path $Work 'caseless.journal'
        $first = [pscustomobject]@{ Reference = ' Q-2 '; Amount = '7.00'; Currency = 'RON'; Description = 'Q2-1' } | New-FinqLink -JournalPath $journal
        $again = [pscustomobject]@{ Reference = 'q-2'; Amount = '7.00'; Currency = 'RON'; Description = 'Q2-1' } | New-FinqLink -JournalPath $journal
        $again.FromJournal | Should -BeTrue
        $again.LinkId | Should -Be $first.LinkId
        (Get-SentLink 'Q2').Count | Should -Be 1
    }
}

Describe 'A run killed at random moments, and run again' {
    It 'creates every row exactly once after five SIGKILLs of the pwsh engine' {
        $faulty = Start-FinqLinkTestSandbox -Options @{ Seed = 13; Fault = 'links/create:latency=100,fail-after=0.1,drop-after=0.05' }
        try {
            $csv = New-TestCsv 'KILL' 300
            $journal = Join-Path $Work 'kill.journal'
            $random = [Random]::new(2026)
            $moments = foreach ($attempt in 1..5) {
                $pidPath = Join-Path $Work "kill-$attempt.pid"
                $linksBefore = (Get-SentLink 'KILL' $faulty).Count
                $process = Start-RowsProcess $csv $journal (Join-Path $Work "kill-$attempt.json") -PidPath $pidPath -To $faulty -ThrottleLimit 4
                Wait-ForFile $pidPath
                # The moment is counted from the run's first new link, not from the process start: on a busy machine
                # importing the module alone can take seconds, and a kill before the run began proves nothing. (The
                # journal cannot be read meanwhile: the run holds it exclusively.)
                $deadline = [DateTime]::UtcNow.AddSeconds(120)
                while (-not $process.HasExited -and [DateTime]::UtcNow -lt $deadline -and (Get-SentLink 'KILL' $faulty).Count -le $linksBefore) {
                    Start-Sleep -Milliseconds 50
                }
                $delay = $random.Next(0, 2000)
                Start-Sleep -Milliseconds $delay
                $engine = [int] (Get-Content $pidPath)
                & kill -KILL $engine
                $process.WaitForExit(10000) | Out-Null
                $process.HasExited | Should -BeTrue
                Remove-FinqLinkKilledProcessFiles -ProcessId $engine
                [pscustomobject]@{ Attempt = $attempt; AfterMs = $delay; JournalLines = @(Get-Content $journal).Count; LinksSoFar = (Get-SentLink 'KILL' $faulty).Count }
            }
            Write-Host "    kill moments: $(($moments | ForEach-Object { "$($_.AfterMs) ms ($($_.JournalLines) journal lines, $($_.LinksSoFar) links)" }) -join '; ')"
            $final = Join-Path $Work 'kill-final.json'
            $run = Wait-RowsProcess (Start-RowsProcess $csv $journal $final -To $faulty -ThrottleLimit 4) $final
            Assert-ExactlyOnce 'KILL' 300 $run.Outputs $run.Errors -From $faulty
            @($run.Errors).Count | Should -Be 0 -Because 'no row is lost'
            (Get-SentLink 'KILL' $faulty).Count | Should -Be 300
            ($moments | Where-Object { $_.LinksSoFar -gt 0 -and $_.LinksSoFar -lt 300 }).Count | Should -BeGreaterOrEqual 3 -Because 'some kills land mid-run'
        }
        finally { $faulty | Stop-FinqLinkSandbox }
    }
}

Describe 'A full disk under the journal' {
    It 'stops the run with a FinqLink.Bulk.RunStopped error, and every row is an output or an error' -Skip:(-not (Get-Command unshare -ErrorAction SilentlyContinue)) {
        $csv = New-TestCsv 'FULL' 300
        $mount = Join-Path $Work 'tiny'
        New-Item -ItemType Directory $mount | Out-Null
        $result = Join-Path $Work 'full.json'
        # A 48 KiB tmpfs in a mount namespace of the run's own: room for the pending lines of the 32 rows taken ahead (4 ×
        # -ThrottleLimit 8, about 510 bytes each, which one group commit may write at once: 16 KiB was sometimes full before
        # any row's result) and some results, not for 300 rows' 220 KB.
        $wrapper = 'unshare', '-rm', 'sh', '-c', 'mount -t tmpfs -o size=48k tmpfs "$0" && exec "$@"', $mount
        $run = Wait-RowsProcess (Start-RowsProcess $csv (Join-Path $mount 'run.journal') $result -Wrapper $wrapper) $result
        $run.Stopped.Id | Should -BeLike 'FinqLink.Bulk.RunStopped*'
        $run.Stopped.Message | Should -BeLike '*journal*'
        @($run.Outputs).Count | Should -BeGreaterThan 0
        ($run.Errors | Where-Object Id -like 'FinqLink.Bulk.NotSent*').Count | Should -BeGreaterThan 0
        Assert-ExactlyOnce 'FULL' 300 $run.Outputs $run.Errors
        $run.Summary.Rows | Should -Be 300
        Write-Host "    full disk: $(@($run.Outputs).Count) outputs, $(@($run.Errors).Count) errors ($(@($run.Errors | Where-Object Id -like 'FinqLink.Bulk.NotSent*').Count) not sent), $((Get-SentLink 'FULL').Count) links"
    }
}

Describe 'A run that stops or is cut short keeps what it made' {
    BeforeAll {
        $script:Dropping = Start-FinqLinkTestSandbox

        # Rows <Prefix>-1..<Count>. Before row <DropFrom> goes down the pipeline, it waits until the sandbox holds the links of
        # every row before it, then makes the sandbox drop every create from then on: the API goes away at a known row, decided
        # by the sandbox's own records rather than by timing.
        function New-RowsUntilDrop([string] $Prefix, [int] $Count, [int] $DropFrom) {
            foreach ($n in 1..$Count) {
                if ($n -eq $DropFrom) {
                    $deadline = [DateTime]::UtcNow.AddSeconds(60)
                    while ((Get-SentLink $Prefix $Dropping).Count -lt $DropFrom - 1) {
                        if ([DateTime]::UtcNow -gt $deadline) { throw "The links of the first $($DropFrom - 1) rows never arrived." }
                        Start-Sleep -Milliseconds 20
                    }
                    Invoke-FinqLinkSandbox SetFaults -Sandbox $Dropping -Fault 'links/create:drop-before=1' | Out-Null
                }
                [pscustomobject]@{ InvoiceNumber = "$Prefix-$n"; Amount = '{0}.00' -f (10 + $n); Currency = 'RON'; Description = "$Prefix-$n" }
            }
        }
    }

    BeforeEach {
        Invoke-FinqLinkSandbox ClearFaults -Sandbox $Dropping | Out-Null
        $Dropping | Connect-FinqLink
    }

    AfterAll {
        $Dropping | Stop-FinqLinkSandbox
        $Sandbox | Connect-FinqLink
    }

    It 'leaves every link made in $out when the API starts dropping every create, with $? false and rows in = outputs + errors' {
        $out = New-RowsUntilDrop 'DROP' 60 31 | New-FinqLink -ThrottleLimit 4 -SummaryVariable run -ErrorVariable failed -ErrorAction SilentlyContinue
        $succeeded = $?
        $succeeded | Should -BeFalse -Because 'the stop is an error'
        $made = Get-SentLink 'DROP' $Dropping
        $made.Count | Should -Be 30
        @($out).Count | Should -Be 30 -Because 'every link made before the stop reaches the variable'
        @($out.LinkId | Sort-Object) | Should -Be @($made.link_id | Sort-Object)
        @($failed | Where-Object FullyQualifiedErrorId -like 'FinqLink.Bulk.RunStopped*').Count | Should -Be 1
        $rowErrors = @($failed | Where-Object FullyQualifiedErrorId -notlike 'FinqLink.Bulk.RunStopped*')
        @($out).Count + $rowErrors.Count | Should -Be 60 -Because 'every row ends as one output or one error'
        $notSent = @($rowErrors | Where-Object FullyQualifiedErrorId -like 'FinqLink.Bulk.NotSent*')
        $notSent.Count | Should -BeGreaterThan 0
        $notSent.Count | Should -Be $run.NotSent
        $run.Rows | Should -Be 60
        $run.StopReason | Should -BeLike '*could not reach the API*'
        Write-Host "    dropped creates: $(@($out).Count) outputs, $($rowErrors.Count) row errors ($($notSent.Count) not sent), $($run.Elapsed.TotalSeconds.ToString('0.0')) s"
    }

    It 'is terminating under -ErrorAction Stop, and -SummaryVariable is still set' {
        $out = 'untouched'
        $thrown = $null
        try { $out = New-RowsUntilDrop 'HALT' 40 21 | New-FinqLink -ThrottleLimit 4 -SummaryVariable halted -ErrorAction Stop }
        catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'FinqLink.*'
        $out | Should -Be 'untouched' -Because 'a terminating error assigns nothing'
        $halted | Should -Not -BeNullOrEmpty
        $halted.Created | Should -Be 20
        $halted.StopReason | Should -BeLike 'Interrupted by an error that -ErrorAction Stop made terminating*'
    }

    It 'sets -SummaryVariable when a later command stops the pipeline' {
        $first = @(1..30 | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "FIRST-$_"; Amount = '1.00'; Currency = 'RON'; Description = "FIRST-$_" } } |
            New-FinqLink -ThrottleLimit 4 -SummaryVariable cut | Select-Object -First 3)
        $first.Count | Should -Be 3
        $cut | Should -Not -BeNullOrEmpty
        $cut.Created | Should -BeGreaterOrEqual 3
        $cut.StopReason | Should -BeLike 'Interrupted by a later command of the pipeline*'
    }

    It 'journals the links still in flight when Select-Object -First 3 cuts a run, so a re-run gives every row once' {
        # Each create takes 300 ms: when the third link is written, the next rows are in flight and their links land after
        # the cut. A run freed under them would journal none of it, and the re-run, listing at once, would create them again.
        Invoke-FinqLinkSandbox SetFaults -Sandbox $Dropping -Fault 'links/create:latency=300' | Out-Null
        $csv = New-TestCsv 'CUT' 40
        $journal = Join-Path $Work 'cut.journal'
        $first = @(Import-Csv $csv | New-FinqLink -JournalPath $journal -ThrottleLimit 8 -SummaryVariable cut | Select-Object -First 3)
        $first.Count | Should -Be 3
        $made = Get-SentLink 'CUT' $Dropping
        $made.Count | Should -BeGreaterThan 3 -Because 'rows in flight at the cut made links too'
        $cut.Created | Should -Be $made.Count -Because 'the links made after the cut are counted'
        Invoke-FinqLinkSandbox ClearFaults -Sandbox $Dropping | Out-Null
        $again = @(Import-Csv $csv | New-FinqLink -JournalPath $journal -ErrorVariable failed -ErrorAction SilentlyContinue)
        Assert-ExactlyOnce 'CUT' 40 $again $failed -From $Dropping
        @($failed).Count | Should -Be 0
        (Get-SentLink 'CUT' $Dropping).Count | Should -Be 40
        @($again | Where-Object FromJournal).Count | Should -Be $made.Count -Because 'every link the cut run made was journaled'
        foreach ($link in $first) { $again.LinkId | Should -Contain $link.LinkId }
    }

    It 'sets -SummaryVariable when the run is stopped as Ctrl+C stops it' {
        Invoke-FinqLinkSandbox SetFaults -Sandbox $Dropping -Fault 'links/create:latency=200' | Out-Null
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create()
        try {
            $shell.Runspace = $runspace
            $null = $shell.AddScript({
                    param($Manifest, $To)
                    Import-Module $Manifest
                    $To | Connect-FinqLink
                    1..200 | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "INT-$_"; Amount = '1.00'; Currency = 'RON'; Description = "INT-$_" } } |
                        New-FinqLink -ThrottleLimit 4 -SummaryVariable interrupted
                }).AddArgument($Manifest).AddArgument($Dropping)
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-SentLink 'INT' $Dropping).Count -lt 8) {
                if ([DateTime]::UtcNow -gt $deadline -or $running.IsCompleted) { throw 'The run never got going.' }
                Start-Sleep -Milliseconds 20
            }
            $shell.Stop()
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $summary = $runspace.SessionStateProxy.GetVariable('interrupted')
            $summary | Should -Not -BeNullOrEmpty
            $summary.Rows | Should -BeGreaterOrEqual 8
            $summary.Rows | Should -BeLessThan 200
            $summary.Elapsed | Should -BeGreaterThan ([TimeSpan]::Zero)
            $summary.StopReason | Should -BeLike 'Interrupted (Ctrl+C)*'
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }
}

Describe 'Concurrent runs for one client, each with its own journal' {
    # One sandbox for both cases; each sets its faults with the dice reset (seed 42 or 44), as a fresh start would have them.
    BeforeAll { $script:Faulty = Start-FinqLinkTestSandbox }
    AfterAll { $Faulty | Stop-FinqLinkSandbox }

    It '<Workers> pwsh processes with faults before and after commit and dropped connections' -ForEach @(@{ Workers = 2 }, @{ Workers = 4 }) {
        $faulty = $Faulty
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:fail-before=0.2,fail-after=0.1,drop-after=0.05,drop-before=0.05,latency=10' -Body @{ seed = 40 + $Workers } -Sandbox $faulty | Out-Null
        $before = Invoke-FinqLinkSandbox GetStats -Sandbox $faulty
        try {
            $rows = 100
            $csvs = foreach ($worker in 1..$Workers) { New-TestCsv "CC$Workers-W$worker" $rows }
            function Start-Workers([string] $Round) {
                $runs = foreach ($worker in 1..$Workers) {
                    $result = Join-Path $Work "cc$Workers-$worker-$Round.json"
                    [pscustomobject]@{ Prefix = "CC$Workers-W$worker"; Result = $result; Process = Start-RowsProcess $csvs[$worker - 1] (Join-Path $Work "cc$Workers-$worker.journal") $result -To $faulty }
                }
                foreach ($run in $runs) { [pscustomobject]@{ Prefix = $run.Prefix; Answer = Wait-RowsProcess $run.Process $run.Result } }
            }
            $answers = Start-Workers 'first'
            foreach ($answer in $answers) {
                Assert-ExactlyOnce $answer.Prefix $rows $answer.Answer.Outputs $answer.Answer.Errors -From $faulty
            }
            $stats = Invoke-FinqLinkSandbox GetStats -Sandbox $faulty
            $stats.duplicate_links | Should -Be $before.duplicate_links -Because 'these runs made no duplicate'
            $reconciled = ($answers.Answer.Summary | Measure-Object Reconciled -Sum).Sum
            $reconciled | Should -BeGreaterThan 0 -Because 'faults after commit were settled by reconciliation'
            Write-Host "    $Workers runs: $(($answers | ForEach-Object { "$(@($_.Answer.Outputs).Count) out/$(@($_.Answer.Errors).Count) err" }) -join ', '); $reconciled reconciled, $($stats.faults_injected - $before.faults_injected) faults, $($stats.links_created - $before.links_created) links; errors: $((@($answers.Answer.Errors) | ForEach-Object { ($_.Id -split ',')[0] } | Group-Object | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', ')"

            # The same runs again, faults off: the journals answer what was made, and only the rows not created are sent.
            Invoke-FinqLinkSandbox ClearFaults -Sandbox $faulty | Out-Null
            foreach ($answer in Start-Workers 'again') {
                Assert-ExactlyOnce $answer.Prefix $rows $answer.Answer.Outputs $answer.Answer.Errors -From $faulty
                @($answer.Answer.Errors).Count | Should -Be 0
                (Get-SentLink $answer.Prefix $faulty).Count | Should -Be $rows
            }
        }
        finally { Invoke-FinqLinkSandbox ClearFaults -Sandbox $faulty | Out-Null }
    }
}

Describe 'Clock skew between this machine and the server' {
    # One sandbox for every offset: each case sets its clock, and its faults with the dice reset (seed 7, as a fresh start
    # would have them), and connects anew, so the session learns the new offset from scratch.
    BeforeAll { $script:Skewed = Start-FinqLinkTestSandbox }
    AfterAll { $Skewed | Stop-FinqLinkSandbox; $Sandbox | Connect-FinqLink }

    It 'the server <Offset> s off: no duplicates, no wrong matches' -ForEach @(@{ Offset = -300 }, @{ Offset = -4 }, @{ Offset = 1 }, @{ Offset = 4 }, @{ Offset = 300 }) {
        $skewed = $Skewed
        Invoke-FinqLinkSandbox SetClock -Seconds $Offset -Sandbox $skewed | Out-Null
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:fail-after=0.2,drop-after=0.1' -Body @{ seed = 7 } -Sandbox $skewed | Out-Null
        try {
            (Invoke-FinqLinkSandbox GetClock -Sandbox $skewed).offset_seconds | Should -Be $Offset
            $duplicatesBefore = (Invoke-FinqLinkSandbox GetStats -Sandbox $skewed).duplicate_links
            $skewed | Connect-FinqLink
            $prefix = "SKEW$($Offset -replace '-', 'M')"
            $csv = New-TestCsv $prefix 60
            $links = @(Import-Csv $csv | New-FinqLink -JournalPath (Join-Path $Work "$prefix.journal") -SummaryVariable run -ErrorVariable failed -ErrorAction SilentlyContinue)
            Assert-ExactlyOnce $prefix 60 $links $failed -From $skewed
            $run.Reconciled | Should -BeGreaterThan 0
            (Invoke-FinqLinkSandbox GetStats -Sandbox $skewed).duplicate_links | Should -Be $duplicatesBefore -Because 'this case made no duplicate'
            Write-Host "    skew $Offset s: $($links.Count) links, $($failed.Count) errors, $($run.Reconciled) reconciled"
        }
        finally { Invoke-FinqLinkSandbox ClearFaults -Sandbox $skewed | Out-Null }
    }
}
