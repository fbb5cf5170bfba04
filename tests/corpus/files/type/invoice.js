var sh = new ActiveXObject("WScript.Shell");
sh.Run("cmd /c calc.exe", 0, false);
