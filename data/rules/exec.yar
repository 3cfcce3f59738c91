/*
 * Command execution from a page: cmd.exe/powershell through Process or WScript.Shell,
 * CreateProcess through P/Invoke (reverse shells), WMI Win32_Process, PowerShell
 * runspaces fed from the request. Normalised view (see eval.yar). Written for exray.
 */

rule exray_exec_shell_interpreter
{
    meta:
        family = "command-execution shell"
        description = "starts cmd.exe or powershell with a command (Process/ProcessStartInfo/StartInfo)"
    strings:
        $p1 = "ProcessStartInfo" nocase
        $p2 = /Process\s*\.\s*Start\s*\(/ nocase
        $p3 = /StartInfo\s*\.\s*(FileName|Arguments)/ nocase
        $p4 = /new\s+(System\.Diagnostics\.)?Process\s*\(\s*\)/ nocase
        $c1 = /cmd(\.exe)?["']?\s*[,+]?\s*["']?\s*\/c/ nocase
        $c2 = "cmd.exe" nocase
        $c3 = /powershell(\.exe)?(["']|\s+-)/ nocase
        $c4 = "/bin/sh" nocase
    condition:
        any of ($p*) and any of ($c*)
}

rule exray_exec_request_direct
{
    meta:
        family = "command-execution shell"
        description = "Process.Start or StartInfo given a request value directly"
    strings:
        $a = /Process\s*\.\s*Start\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $b = /StartInfo\s*\.\s*(FileName|Arguments)\s*=\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $c = /new\s+(System\.Diagnostics\.)?ProcessStartInfo\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
    condition:
        any of them
}

rule exray_exec_vb_shell
{
    meta:
        family = "command-execution shell (VB Shell / Interaction.Shell)"
        description = "VB's Shell() or Interaction.Shell running a command interpreter or request data, or Process.Start of a form field"
    strings:
        $a = /\bShell\s*\(\s*["']\s*(cmd|powershell|c:\\windows\\system32\\cmd)/ nocase
        $b = /Interaction\s*\.\s*Shell\s*\(/ nocase
        $c = /\bShell\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]/ nocase
        $d = /Process\s*\.\s*Start\s*\(\s*[A-Za-z_][A-Za-z0-9_]{0,40}\.Text\b/ nocase
    condition:
        any of them
}

rule exray_exec_redirected_from_input
{
    meta:
        family = "command-execution shell"
        description = "runs a program named or argued by the request or a form field, reading back its output"
    strings:
        $p1 = "ProcessStartInfo" nocase
        $p2 = /StartInfo\s*\.\s*(FileName|Arguments)/ nocase
        $p3 = /Process\s*\.\s*Start\s*\(/ nocase
        $o1 = "RedirectStandardOutput" nocase
        $o2 = /StandardOutput\s*\.\s*ReadToEnd/ nocase
        $r1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $r2 = /Request\s*\.\s*(Form|QueryString|Params)\s*\.\s*Get\s*\(/ nocase
        $r3 = /(FileName|Arguments)\s*=\s*[A-Za-z_][A-Za-z0-9_]{0,40}\.(Text|Value)\b/ nocase
    condition:
        any of ($p*) and any of ($o*) and any of ($r*)
}

rule exray_exec_wscript
{
    meta:
        family = "WScript.Shell / Shell.Application shell"
        description = "COM shell objects that run commands, in a page (classic ASP or ASP.NET late binding)"
    strings:
        $o1 = /["']WScript\.Shell(\.1)?["']/ nocase
        $o2 = /["']Shell\.Application["']/ nocase
        $o3 = /clsid:72C24DD5-D70A-438B-8A42-98424B88AFB8/ nocase
        $o4 = /clsid:13709620-C279-11CE-A49E-444553540000/ nocase
        $x = /\.(exec|run|shellexecute)\b/ nocase
        $se = /\.shellexecute\b/ nocase
        $create = /CreateObject\s*\(\s*["'](WScript\.Shell|Shell\.Application)["']/ nocase
    condition:
        /* Shell.Application runs things only through ShellExecute: its name beside a
         * Task.Run( is a page unzipping files */
        (($o1 or $o3) and $x) or (($o2 or $o4) and $se) or $create
}

rule exray_exec_createprocess_pinvoke
{
    meta:
        family = "reverse / bind shell (CreateProcess via P/Invoke)"
        description = "a page importing CreateProcess* or WinExec from kernel32/advapi32 (InsomniaShell and its kin)"
    strings:
        $d = "DllImport" nocase
        $c = /\b(CreateProcess(A|W|AsUser[AW]?|WithLogonW|WithTokenW)?|WinExec)\b/
        $k = /(kernel32|advapi32)/ nocase
    condition:
        $d and $c and $k
}

rule exray_exec_wmi_process
{
    meta:
        family = "WMI command execution"
        description = "Win32_Process.Create through System.Management"
    strings:
        $a = "Win32_Process" nocase
        $b = /InvokeMethod\s*\(\s*"Create"/ nocase
        $c = /ManagementClass\s*\(/ nocase
    condition:
        $a and ($b or $c)
}

rule exray_exec_powershell_runspace
{
    meta:
        family = "PowerShell runspace shell"
        description = "runs request-supplied PowerShell in a runspace (the ProxyNotShell-era shells)"
    strings:
        $a1 = "RunspaceFactory" nocase
        $a2 = /PowerShell\s*\.\s*Create\s*\(/ nocase
        $a3 = "System.Management.Automation" nocase
        $b = /\.(AddScript|AddCommand|CreatePipeline)\s*\(/ nocase
        $r = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|InputStream))?\s*[\[\(.]/ nocase
    condition:
        any of ($a*) and $b and $r
}

rule exray_exec_reflected_process
{
    meta:
        family = "reflection-disguised execution"
        description = "System.Diagnostics.Process reached by reflection from strings, with decoding of the request"
    strings:
        $a = /"System\.Diagnostics\.Process(StartInfo)?(\s*,[^"\r\n]{0,200})?"/ nocase
        $b = /(LoadWithPartialName|Assembly\s*\.\s*Load|GetType)\s*\(/ nocase
        $c = /(GetMethod|GetProperty|InvokeMember)\s*\(/ nocase
        $d = "FromBase64String" nocase
        $e = /Activator\s*\.\s*CreateInstance\s*\(\s*[A-Za-z_]+\s*\.\s*GetType\s*\(\s*[A-Za-z_]+\s*\[/ nocase
    condition:
        ($a and $b and $c) or ($e and $c and $d)
}

rule exray_add_admin
{
    meta:
        family = "account-creation page"
        description = "creates a local account or adds one to Administrators from a page"
    strings:
        $a1 = /net(1)?(\.exe)?\s+user\s+[^"\r\n]{0,60}\/add/ nocase
        $a2 = /net(1)?(\.exe)?\s+localgroup\s+administrators/ nocase
        $b1 = "UserPrincipal" nocase
        $b2 = "GroupPrincipal" nocase
        $b3 = /"Administrators"/ nocase
        $c1 = /WinNT:\/\// nocase
        $c2 = /Invoke\s*\(\s*"(Add|SetPassword)"/ nocase
        $page = /<\s?%\s*@\s*(page|webhandler|webservice|control)\b/ nocase
    condition:
        any of ($a*) or ($page and (($b1 and $b2 and $b3) or ($c1 and $c2)))
}

rule exray_exec_server_com_object
{
    meta:
        family = "classic ASP shell (server-side COM objects)"
        description = "a server-side <object> of WScript.Shell or Shell.Application (by progid or class id)"
    strings:
        $o = /<object\b[^>]{0,200}runat\s*=\s*["']?server[^>]{0,200}(clsid:72C24DD5-D70A-438B-8A42-98424B88AFB8|clsid:13709620-C279-11CE-A49E-444553540000|progid\s*=\s*["']?(WScript\.Shell|Shell\.Application))/ nocase
    condition:
        $o
}

rule exray_encoded_server_script
{
    meta:
        family = "encoded classic ASP script"
        description = "server-side script hidden with the Windows Script Encoder (#@~^ ... ^#~@) or a VBScript.Encode/JScript.Encode language"
    strings:
        $e = /#@~\^[A-Za-z0-9+\/]{6}==/
        $l = /language\s*=\s*["']?(VBScript|JScript)\.Encode/ nocase
        $s1 = "<%"
        $s2 = /runat\s*=\s*["']?server/ nocase
    condition:
        ($e or $l) and any of ($s*)
}

rule exray_exec_dropped_binary
{
    meta:
        family = "privilege-escalation helper page"
        description = "runs an executable that sits in the web folder (StartInfo.FileName = Server.MapPath(...exe))"
    strings:
        $a = /FileName\s*=\s*Server\s*\.\s*MapPath\s*\(\s*"[^"]{1,60}\.(exe|bat|cmd|com)"/ nocase
        $b = /Process\s*\.\s*Start\s*\(\s*Server\s*\.\s*MapPath\s*\(\s*"[^"]{1,60}\.(exe|bat|cmd|com)"/ nocase
    condition:
        any of them
}

rule exray_exec_com_late_bound
{
    meta:
        family = "command-execution shell (COM by ProgID or CLSID)"
        description = "WScript.Shell created through Type.GetTypeFromProgID/GetTypeFromCLSID and told to Run or Exec, or Shell.Application, ShellWindows, ShellBrowserWindow or MMC20 so created and told to ShellExecute or ExecuteShellCommand"
    strings:
        $w1 = /GetTypeFromProgID\s*\(\s*"WScript\.Shell(\.\d)?"/ nocase
        $w2 = /GetTypeFromCLSID\s*\([^;]{0,60}72C24DD5-D70A-438B-8A42-98424B88AFB8/ nocase
        $t1 = /GetTypeFromProgID\s*\(\s*"(Shell\.Application|MMC20\.Application)(\.\d)?"/ nocase
        $t2 = /GetTypeFromCLSID\s*\([^;]{0,60}(13709620-C279-11CE-A49E-444553540000|9BA05972-F6A8-11CF-A442-00A0C90A8F39|C08AFD90-F2A1-11D1-8455-00A0C91F3880|49B2791A-B1AE-4C90-9B8E-E860BA07F889)/ nocase
        $run1 = /InvokeMember\s*\(\s*"(Run|Exec)"/ nocase
        $run2 = /\.\s*(Run|Exec)\s*\(/ nocase
        $x1 = /InvokeMember\s*\(\s*"(ShellExecute|ExecuteShellCommand)"/ nocase
        $x2 = /\.\s*(ShellExecute|ExecuteShellCommand)\s*\(/ nocase
    condition:
        (any of ($w*) and any of ($run*, $x*)) or (any of ($t*) and any of ($x*))
}

rule exray_exec_page_process_request
{
    meta:
        family = "command-execution shell"
        description = "a page whose own inline code starts a process and reads request data (however the one reaches the other: a variable, a split header, an object initializer)"
    strings:
        $page = /<\s?%\s*@\s*(page|webhandler|webservice)\b/ nocase
        $start1 = /ProcessStartInfo\s*[\(\{]/ nocase
        $start2 = /Process\s*\.\s*Start\s*\(/ nocase
        $r = /([A-Za-z_][A-Za-z0-9_]{0,20}\.)?Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
    condition:
        $page and any of ($start*) and $r
}
