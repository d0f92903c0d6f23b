@echo off
rem socket-lab.cmd: the CLI of an installed Socket Lab on Windows (resources\bin in the install
rem folder). A batch file, so cmd and PowerShell wait for it and get its output and exit code;
rem the app's executable runs as plain Node (ELECTRON_RUN_AS_NODE=1) on the CLI in app.asar, with
rem no browser process and no window.
setlocal
set "ELECTRON_RUN_AS_NODE=1"
"%~dp0..\..\Socket Lab.exe" "%~dp0..\app.asar\out\main\cli.js" %*
set "SOCKET_LAB_EXIT=%ERRORLEVEL%"
endlocal & exit /b %SOCKET_LAB_EXIT%
