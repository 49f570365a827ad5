' Starts a console program without a window, as work-tracing's run_hidden.vbs did, and waits for it:
'   wscript.exe //B //Nologo run-hidden.vbs "C:\Program Files\Rollcall\presence-agent.exe" workstation
' install-workstation-task.ps1 -Launcher wscript uses it; the default launcher (conhost --headless) needs no file.
Dim args, i
args = ""
For i = 0 To WScript.Arguments.Count - 1
    args = args & " """ & WScript.Arguments(i) & """"
Next
WScript.Quit CreateObject("WScript.Shell").Run(Mid(args, 2), 0, True)
