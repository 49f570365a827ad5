<#
.SYNOPSIS
  Registers the Rollcall workstation collector as a scheduled task that starts at every user's logon, in that
  user's interactive session (GetLastInputInfo only sees the session it runs in; a service in session 0 would not).

.EXAMPLE
  # As an administrator, after copying presence-agent.exe to C:\Program Files\Rollcall\
  .\install-workstation-task.ps1 -Server https://rollcall.example.com -Site hq
  # Each user enrolls once with a one-time code from the administrator; the credential lands in
  # %USERPROFILE%\.rollcall-agent\agent.credential (the user's profile ACL protects it):
  #   & "$env:ProgramFiles\Rollcall\presence-agent.exe" enroll --server https://rollcall.example.com --code <code>

.NOTES
  Replaces work-tracing's schedule_task.ps1. Remove with: Unregister-ScheduledTask -TaskPath '\Rollcall\'
  -TaskName 'Rollcall workstation'. Not run by the project's tests (they run on Linux); see the module README.
#>
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$Site,
    [string]$Exe = (Join-Path $env:ProgramFiles 'Rollcall\presence-agent.exe'),
    [string]$IdleAfter = '10m'
)
$ErrorActionPreference = 'Stop'

if (-not (Test-Path $Exe)) { throw "presence-agent.exe not found at $Exe (use -Exe)" }

# Site-wide settings as machine environment variables: the agent reads AGENT_<OPTION> as the option's default.
[Environment]::SetEnvironmentVariable('AGENT_SERVER', $Server, 'Machine')
[Environment]::SetEnvironmentVariable('AGENT_SITE', $Site, 'Machine')
[Environment]::SetEnvironmentVariable('AGENT_IDLE_AFTER', $IdleAfter, 'Machine')

$action = New-ScheduledTaskAction -Execute $Exe -Argument 'workstation'
$trigger = New-ScheduledTaskTrigger -AtLogOn
# BUILTIN\Users by SID (the name is localised): every user who logs on gets their own instance, without elevation.
$principal = New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545' -RunLevel Limited
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances IgnoreNew `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable `
    -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) -Hidden

Register-ScheduledTask -TaskPath '\Rollcall\' -TaskName 'Rollcall workstation' -Action $action -Trigger $trigger `
    -Principal $principal -Settings $settings `
    -Description 'Reports working / stopped from input idle time and lock state (no keystrokes, no window contents, no screenshots).' `
    -Force | Out-Null

Write-Host "Registered \Rollcall\Rollcall workstation: $Exe workstation, at logon of every user, site $Site, server $Server"
