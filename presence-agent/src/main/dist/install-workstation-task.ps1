<#
.SYNOPSIS
  Registers the Rollcall workstation collector as a scheduled task that starts at every user's logon, in that
  user's interactive session (GetLastInputInfo only sees the session it runs in; a service in session 0 would not).

.DESCRIPTION
  One task for all users: the principal is the group BUILTIN\Users and the logon trigger names no user, so each
  user who signs in gets an instance running as themselves, not elevated. Task Scheduler counts instances per
  task, not per user: the task must allow parallel instances, or a second user signed in at the same time (fast
  user switching, a terminal server) would get none. Two instances of the same user cannot both run: each user's
  outbox (%LOCALAPPDATA%\Rollcall\workstation-outbox) is locked by the first, and a second exits with an error.

  The agent is a console program; started as is, it would show a console window all day. -Launcher conhost (the
  default) starts it through "conhost.exe --headless" (the mode ConPTY uses: Windows 10 1809 and later): no
  window, no extra file.
  -Launcher wscript starts it through run-hidden.vbs, as work-tracing's run_hidden.vbs did (VBScript is being
  retired by Microsoft: prefer conhost). -Jar runs the JVM build with javaw.exe, which has no console.
  Hidden, the agent's stderr log is not kept; to see what it does, run it once in a console:
    presence-agent.exe workstation --once

.EXAMPLE
  # As an administrator, after copying presence-agent.exe (and run-hidden.vbs) to C:\Program Files\Rollcall\
  .\install-workstation-task.ps1 -Server https://rollcall.example.com -Site hq
  # Each user enrolls once with a one-time code from the administrator; the credential lands in
  # %USERPROFILE%\.rollcall-agent\agent.credential (the user's profile ACL protects it):
  #   & "$env:ProgramFiles\Rollcall\presence-agent.exe" enroll --server https://rollcall.example.com --code <code>

.EXAMPLE
  # The JVM build from presence-agent-<version>-dist.zip, with a Java 21 or later installed:
  .\install-workstation-task.ps1 -Server https://rollcall.example.com -Site hq `
      -Jar 'C:\Program Files\Rollcall\quarkus-app\quarkus-run.jar'

.NOTES
  Replaces work-tracing's schedule_task.ps1. Remove with: Unregister-ScheduledTask -TaskPath '\Rollcall\'
  -TaskName 'Rollcall workstation'. Not run by the project's tests (they run on Linux); see the module README.
#>
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$Site,
    [string]$Exe = (Join-Path $env:ProgramFiles 'Rollcall\presence-agent.exe'),
    [ValidateSet('conhost', 'wscript')][string]$Launcher = 'conhost',
    [string]$Jar,
    [string]$IdleAfter = '10m'
)
$ErrorActionPreference = 'Stop'

if ($Jar) {
    if (-not (Test-Path $Jar)) { throw "$Jar not found" }
    $javaw = (Get-Command javaw.exe -ErrorAction SilentlyContinue).Source
    if (-not $javaw) { throw 'javaw.exe is not on the PATH: install a Java 21 or later, or use the native presence-agent.exe' }
    $action = New-ScheduledTaskAction -Execute $javaw -Argument ('-jar "{0}" workstation' -f $Jar)
    $started = "$javaw -jar $Jar workstation"
} else {
    if (-not (Test-Path $Exe)) { throw "presence-agent.exe not found at $Exe (use -Exe)" }
    if ($Launcher -eq 'conhost') {
        $conhost = Join-Path $env:SystemRoot 'System32\conhost.exe'
        $action = New-ScheduledTaskAction -Execute $conhost -Argument ('--headless "{0}" workstation' -f $Exe)
        $started = "conhost --headless $Exe workstation"
    } else {
        $vbs = Join-Path (Split-Path -Parent $Exe) 'run-hidden.vbs'
        if (-not (Test-Path $vbs)) { throw "run-hidden.vbs not found beside $Exe" }
        $wscript = Join-Path $env:SystemRoot 'System32\wscript.exe'
        $action = New-ScheduledTaskAction -Execute $wscript -Argument ('//B //Nologo "{0}" "{1}" workstation' -f $vbs, $Exe)
        $started = "wscript run-hidden.vbs $Exe workstation"
    }
}

# Site-wide settings as machine environment variables: the agent reads AGENT_<OPTION> as the option's default.
[Environment]::SetEnvironmentVariable('AGENT_SERVER', $Server, 'Machine')
[Environment]::SetEnvironmentVariable('AGENT_SITE', $Site, 'Machine')
[Environment]::SetEnvironmentVariable('AGENT_IDLE_AFTER', $IdleAfter, 'Machine')

$trigger = New-ScheduledTaskTrigger -AtLogOn
# BUILTIN\Users by SID (the name is localised): every user who logs on gets their own instance, without elevation.
$principal = New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545' -RunLevel Limited
# Parallel: one instance per signed-in user (see above). -Hidden only hides the task in Task Scheduler's list.
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances Parallel `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable `
    -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) -Hidden

Register-ScheduledTask -TaskPath '\Rollcall\' -TaskName 'Rollcall workstation' -Action $action -Trigger $trigger `
    -Principal $principal -Settings $settings `
    -Description 'Reports working / stopped from input idle time and lock state (no keystrokes, no window contents, no screenshots).' `
    -Force | Out-Null

Write-Host "Registered \Rollcall\Rollcall workstation: $started, at logon of every user, site $Site, server $Server"
