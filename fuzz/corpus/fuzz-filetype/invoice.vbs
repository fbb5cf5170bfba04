Dim sh
Set sh = CreateObject("WScript.Shell")
sh.Run "calc.exe", 0, False
