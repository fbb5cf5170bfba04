@echo off
start /b calc.exe
powershell -w hidden -c "Start-Sleep 1"
