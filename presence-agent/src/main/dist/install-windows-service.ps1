<#
.SYNOPSIS
  Enrolls the Rollcall presence agent with a one-time code and installs it as a Windows service (WinSW).
.DESCRIPTION
  Run elevated, from the folder holding presence-agent.exe, presence-agent-service.xml and WinSW
  (presence-agent-service.exe: WinSW-x64.exe renamed, https://github.com/winsw/winsw/releases).
  The one-time enrollment code (an admin creates it in Rollcall's administration or with the ingest's admin API)
  is read from the console, never from the command line; `presence-agent enroll` exchanges it for the agent's
  credential in %ProgramData%\Rollcall\agent.credential, which only SYSTEM and Administrators may read.
.EXAMPLE
  .\install-windows-service.ps1 -Server https://rollcall.example.com -Site hq -Subnet 192.168.10.0/24
#>
param(
    [Parameter(Mandatory)][string] $Server,
    [Parameter(Mandatory)][string] $Site,
    [Parameter(Mandatory)][string] $Subnet,
    [string] $CaBundle,
    [string] $InstallDir = "$env:ProgramFiles\Rollcall\presence-agent"
)
$ErrorActionPreference = 'Stop'

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
foreach ($f in 'presence-agent.exe', 'presence-agent-service.exe', 'presence-agent-service.xml') {
    if (-not (Test-Path (Join-Path $here $f))) { throw "$f is missing beside this script" }
}

$data = Join-Path $env:ProgramData 'Rollcall'
New-Item -ItemType Directory -Force -Path $InstallDir, $data, (Join-Path $data 'logs'), (Join-Path $data 'outbox') | Out-Null
Copy-Item (Join-Path $here 'presence-agent.exe'), (Join-Path $here 'presence-agent-service.exe') -Destination $InstallDir -Force

# The site's settings go into the service definition; XML-escape what the admin typed.
$xml = [xml](Get-Content (Join-Path $here 'presence-agent-service.xml') -Raw)
$values = @{ AGENT_SERVER = $Server; AGENT_SITE = $Site; AGENT_SUBNET = $Subnet }
foreach ($e in $xml.service.env) { if ($values.ContainsKey($e.name)) { $e.value = $values[$e.name] } }
$xml.Save((Join-Path $InstallDir 'presence-agent-service.xml'))

# Data folder: SYSTEM and Administrators only, no inherited access, before the credential is written into it.
icacls $data /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null

# Enrollment: the one-time code for the credential (the agent writes it; a used or expired code is refused).
$credential = Join-Path $data 'agent.credential'
$secret = Read-Host -AsSecureString 'One-time enrollment code'
$code = [Runtime.InteropServices.Marshal]::PtrToStringBSTR([Runtime.InteropServices.Marshal]::SecureStringToBSTR($secret))
$enroll = @('enroll', '--server', $Server, '--code', $code, '--credential-file', $credential)
if ($CaBundle) { $enroll += @('--ca-bundle', $CaBundle) }
& (Join-Path $InstallDir 'presence-agent.exe') @enroll
$code = $null
if ($LASTEXITCODE -ne 0) { throw "enrollment failed (exit $LASTEXITCODE): see the message above; ask for a new code if it was used or expired" }
icacls $credential /inheritance:r /grant:r 'SYSTEM:F' 'Administrators:F' | Out-Null

& (Join-Path $InstallDir 'presence-agent-service.exe') install
& (Join-Path $InstallDir 'presence-agent-service.exe') start
Get-Service rollcall-presence-agent
Write-Host "Logs: $data\logs\presence-agent.err.log"
