; Inno Setup script of the Organisation Design Workbench (Windows installer).
; Build on Windows after `make dist` (or `python installer\build_dist.py`):
;   iscc /DAppVersion=0.1.0 installer\windows\workbench.iss
; Output: dist\OrgDesignWorkbench-<version>-setup.exe. Installs per user (no admin rights),
; adds a Start-menu entry, an optional desktop shortcut and opens .owb files with the app.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\windows\workbench.iss
#endif
#define AppName "Organisation Design Workbench"
#define AppExe "workbench.exe"
#define ProgId "OrgDesignWorkbench.Project"

[Setup]
AppId={{6C1E2B7A-4F0D-4C3B-9A51-2E7D8B0C4F19}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\OrgDesignWorkbench
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=OrgDesignWorkbench-{#AppVersion}-setup
SetupIconFile=..\..\workbench\resources\icons\workbench.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\workbench\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .owb files open in the app (per user when installed without admin rights).
Root: HKA; Subkey: "Software\Classes\.owb"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Workbench project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
