; Inno Setup script: the Windows installer around the app that `installer.spec`
; builds in dist\Chronomap\ (build/PACKAGING.md, "Windows").
;
;   iscc /DAppVersion=0.1.0 build\windows\chronomap.iss
;
; Writes dist\Chronomap-VERSION-windows-x64-setup.exe. It installs for the current
; user or, with administrator rights, for all users; adds the Start-menu entry
; (and a desktop icon if asked); and offers Chronomap in "Open with" for .json
; and .xlsx files, without taking them over (Windows matches the last
; extension only, so a .chronomap.json cannot have a type of its own).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z build\windows\chronomap.iss
#endif

[Setup]
; The same AppId in every version, so a new installer upgrades the old install.
AppId={{E20A6728-AD72-4F5C-B50D-9C696CD77237}
AppName=Chronomap
AppVersion={#AppVersion}
AppPublisher=Chronomap
DefaultDirName={autopf}\Chronomap
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=Chronomap-{#AppVersion}-windows-x64-setup
SetupIconFile=assets\icons\chronomap.ico
UninstallDisplayIcon={app}\Chronomap.exe
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\Chronomap\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Chronomap"; Filename: "{app}\Chronomap.exe"
Name: "{autodesktop}\Chronomap"; Filename: "{app}\Chronomap.exe"; Tasks: desktopicon

[Registry]
; HKA is HKLM for an all-users install and HKCU for one user.
Root: HKA; Subkey: "Software\Classes\Chronomap.Dataset"; ValueType: string; ValueName: ""; ValueData: "Chronomap dataset"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Chronomap.Dataset\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\Chronomap.exe,0"
Root: HKA; Subkey: "Software\Classes\Chronomap.Dataset\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Chronomap.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "Chronomap.Dataset"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithProgids"; ValueType: string; ValueName: "Chronomap.Dataset"; ValueData: ""; Flags: uninsdeletevalue

[Run]
Filename: "{app}\Chronomap.exe"; Description: "{cm:LaunchProgram,Chronomap}"; Flags: nowait postinstall skipifsilent
