<#
.SYNOPSIS
  Enrolls the Rollcall presence agent with a one-time code and installs its network collector as a Windows
  service (WinSW).
.DESCRIPTION
  Run elevated, from the folder holding presence-agent-service.xml (dist\ of presence-agent-<version>-dist.zip)
  and WinSW (presence-agent-service.exe: WinSW-x64.exe renamed, https://github.com/winsw/winsw/releases).
  The agent is the native presence-agent.exe (-Exe; by default beside this script) or, with -Jar, the JVM build
  (..\quarkus-app\quarkus-run.jar of the distribution, run by java.exe, Java 21 or later). Without either, the
  one it finds: presence-agent.exe beside this script, else the distribution's quarkus-app.
  The service runs `presence-agent network` with the neighbour method: UDP datagrams to every address of -Subnet,
  then `arp -a` (see the module README).
  The one-time enrollment code (an admin creates it in Rollcall's administration or with the ingest's admin API)
  is read from the console, never from the command line; `presence-agent enroll` exchanges it for the agent's
  credential in %ProgramData%\Rollcall\agent.credential, which only SYSTEM and Administrators may read.
.EXAMPLE
  .\install-windows-service.ps1 -Server https://rollcall.example.com -Site hq -Subnet 192.168.10.0/24
.EXAMPLE
  # the JVM build from the distribution, with a Java 21 or later installed
  .\install-windows-service.ps1 -Server https://rollcall.example.com -Site hq -Subnet 192.168.10.0/24 `
      -Jar ..\quarkus-app\quarkus-run.jar
.NOTES
  Remove with: presence-agent-service.exe stop; presence-agent-service.exe uninstall (in -InstallDir).
  Not run by the project's tests (they run on Linux); see the module README.
#>
param(
    [Parameter(Mandatory)][string] $Server,
    [Parameter(Mandatory)][string] $Site,
    [Parameter(Mandatory)][string] $Subnet,
    [string] $Interface,
    [string] $CaBundle,
    [string] $Exe,
    [string] $Jar,
    [string] $Java,
    [string] $InstallDir = "$env:ProgramFiles\Rollcall\presence-agent"
)
$ErrorActionPreference = 'Stop'

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
foreach ($f in 'presence-agent-service.exe', 'presence-agent-service.xml') {
    if (-not (Test-Path (Join-Path $here $f))) { throw "$f is missing beside this script (WinSW-x64.exe renamed, and the definition)" }
}
if (-not $Exe -and -not $Jar) {
    $beside = Join-Path $here 'presence-agent.exe'
    $dist = Join-Path $here '..\quarkus-app\quarkus-run.jar'
    if (Test-Path $beside) { $Exe = $beside }
    elseif (Test-Path $dist) { $Jar = $dist }
    else { throw 'neither presence-agent.exe beside this script nor ..\quarkus-app\quarkus-run.jar: use -Exe or -Jar' }
}

if (Get-Service rollcall-presence-agent -ErrorAction SilentlyContinue) {
    throw "the service is installed already: in $InstallDir run presence-agent-service.exe stop, then uninstall"
}

$data = Join-Path $env:ProgramData 'Rollcall'
New-Item -ItemType Directory -Force -Path $InstallDir, $data, (Join-Path $data 'logs'), (Join-Path $data 'outbox') | Out-Null
Copy-Item (Join-Path $here 'presence-agent-service.exe') -Destination $InstallDir -Force

# What the service starts, and how this script runs the agent to enroll it.
if ($Jar) {
    if (-not (Test-Path $Jar)) { throw "$Jar not found" }
    if (-not $Java) { $Java = (Get-Command java.exe -ErrorAction SilentlyContinue).Source }
    if (-not $Java) { throw 'java.exe is not on the PATH: install a Java 21 or later, give -Java, or use the native presence-agent.exe' }
    # The whole quarkus-app folder: the jar needs its lib\ and app\ beside it.
    $app = Join-Path $InstallDir 'quarkus-app'
    if (Test-Path $app) { Remove-Item $app -Recurse -Force }
    Copy-Item (Split-Path -Parent (Resolve-Path $Jar).Path) -Destination $app -Recurse
    $executable = $Java
    $prefix = @('-jar', (Join-Path $app 'quarkus-run.jar'))
} else {
    if (-not (Test-Path $Exe)) { throw "$Exe not found" }
    Copy-Item $Exe -Destination (Join-Path $InstallDir 'presence-agent.exe') -Force
    $executable = Join-Path $InstallDir 'presence-agent.exe'
    $prefix = @()
}

# The site's settings and the executable go into the service definition; the XML writer escapes what was typed.
$xml = [xml](Get-Content (Join-Path $here 'presence-agent-service.xml') -Raw)
$xml.service.executable = $executable
$xml.service.arguments = (($prefix | ForEach-Object { '"{0}"' -f $_ }) + 'network') -join ' '
$values = @{ AGENT_SERVER = $Server; AGENT_SITE = $Site; AGENT_SUBNET = $Subnet; AGENT_METHOD = 'neighbour' }
if ($Interface) { $values.AGENT_INTERFACE = $Interface }
if ($CaBundle) { $values.AGENT_CA_BUNDLE = $CaBundle }
foreach ($e in $xml.service.env) { if ($values.ContainsKey($e.name)) { $e.value = $values[$e.name]; $values.Remove($e.name) } }
foreach ($name in $values.Keys) {
    $e = $xml.CreateElement('env'); $e.SetAttribute('name', $name); $e.SetAttribute('value', $values[$name])
    $xml.service.AppendChild($e) | Out-Null
}
$xml.Save((Join-Path $InstallDir 'presence-agent-service.xml'))

# What the service will see, once, in this console (before the one-time code is used): the devices answering now.
$once = $prefix + @('network', '--once', '--method', 'neighbour', '--subnet', $Subnet)
if ($Interface) { $once += @('--interface', $Interface) }
& $executable @once
if ($LASTEXITCODE -ne 0) { throw "presence-agent network --once failed (exit $LASTEXITCODE): fix -Subnet or -Interface first" }

# Data folder: SYSTEM and Administrators only, no inherited access, before the credential is written into it.
icacls $data /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null

# Enrollment: the one-time code for the credential (the agent writes it; a used or expired code is refused).
$credential = Join-Path $data 'agent.credential'
$secret = Read-Host -AsSecureString 'One-time enrollment code'
$code = [Runtime.InteropServices.Marshal]::PtrToStringBSTR([Runtime.InteropServices.Marshal]::SecureStringToBSTR($secret))
$enroll = $prefix + @('enroll', '--server', $Server, '--code', $code, '--credential-file', $credential)
if ($CaBundle) { $enroll += @('--ca-bundle', $CaBundle) }
& $executable @enroll
$code = $null
if ($LASTEXITCODE -ne 0) { throw "enrollment failed (exit $LASTEXITCODE): see the message above; ask for a new code if it was used or expired" }
icacls $credential /inheritance:r /grant:r 'SYSTEM:F' 'Administrators:F' | Out-Null

& (Join-Path $InstallDir 'presence-agent-service.exe') install
& (Join-Path $InstallDir 'presence-agent-service.exe') start
Get-Service rollcall-presence-agent
Write-Host "Logs: $data\logs\presence-agent-service.err.log"
