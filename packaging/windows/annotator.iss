; Inno Setup script: the Windows installer around the one-folder bundle.
;
;   pyinstaller --noconfirm --distpath dist --workpath build packaging\annotator.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\annotator.iss
;
; Installs dist\annotator (annotator.exe, the window, and annotator-cli.exe, the command
; line) per user by default, adds a Start menu entry, and registers the .annotator
; extension so that double-clicking a project opens it. Written on Linux: not compiled
; or run here (see packaging/README.md).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "annotator"
#define SourceDir "..\..\dist\annotator"

[Setup]
AppId={{7C3E0B1E-6C55-4E7B-9E0D-5A2B8C1F4A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=annotator maintainers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=annotator-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\annotator.ico
UninstallDisplayIcon={app}\annotator.exe
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
WizardStyle=modern

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\annotator.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"

[Registry]
; .annotator -> annotator.project -> "annotator.exe" --project "%1"
Root: HKA; Subkey: "Software\Classes\.annotator"; ValueType: string; ValueName: ""; ValueData: "annotator.project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\annotator.project"; ValueType: string; ValueName: ""; ValueData: "annotator project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\annotator.project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\annotator.exe,0"
Root: HKA; Subkey: "Software\Classes\annotator.project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\annotator.exe"" --project ""%1"""

[Run]
Filename: "{app}\annotator.exe"; Description: "Open annotator now"; Flags: nowait postinstall skipifsilent
