; NSIS installer for the ITOps desktop (Windows 10 1809+ / 11, x64).
; Input: the one-folder build made ON WINDOWS with `pyinstaller installer\itops.spec` (dist\itops\).
; makensis runs on Linux too (Debian package nsis):
;   makensis -DSRC=dist/itops -DVERSION=0.1.0 -DOUT=dist/itops-desktop-0.1.0-setup.exe installer/windows/itops-desktop.nsi
Unicode true
!ifndef SRC
  !define SRC "..\..\dist\itops"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUT
  !define OUT "itops-desktop-${VERSION}-setup.exe"
!endif

!include "MUI2.nsh"

Name "ITOps ${VERSION}"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\ITOps"
InstallDirRegKey HKLM "Software\ITOps" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Section "ITOps" SecMain
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the program folder; the user's store (%LOCALAPPDATA%\ITOps) is never touched
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRC}\*.*"
  WriteRegStr HKLM "Software\ITOps" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\ITOps"
  CreateShortcut "$SMPROGRAMS\ITOps\ITOps.lnk" "$INSTDIR\itops-desktop.exe"
  CreateShortcut "$DESKTOP\ITOps.lnk" "$INSTDIR\itops-desktop.exe"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ITOps" "DisplayName" "ITOps"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ITOps" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ITOps" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ITOps" "NoModify" 1
SectionEnd

Section "Uninstall"
  Delete "$DESKTOP\ITOps.lnk"
  RMDir /r "$SMPROGRAMS\ITOps"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ITOps"
  DeleteRegKey HKLM "Software\ITOps"
SectionEnd
