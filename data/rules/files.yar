/*
 * File and database shells: uploaders and writers that take their path from the request,
 * droppers that write new script pages, SQL clients whose connection string comes from
 * the request, and full shells (ASPXSpy and its many descendants) recognised by how many
 * capabilities one page combines. Normalised view (see eval.yar). Written for exray.
 */

rule exray_writer_request_path
{
    meta:
        family = "uploader / file writer"
        description = "saves or writes to a path taken directly from the request"
    strings:
        $a = /(SaveAs|WriteAllBytes|WriteAllText|AppendAllText|CreateText|StreamWriter|FileStream|File\s*\.\s*Create|File\s*\.\s*Copy|File\s*\.\s*Move)\s*\(\s*(([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Server\s*\.\s*MapPath\s*\(\s*|Path\s*\.\s*Combine\s*\([^;]{0,80},\s*)?([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $b = /Request\s*\.\s*Files\s*[\[\(]\s*0\s*[\]\)]\s*\.\s*SaveAs\s*\(\s*Server\s*\.\s*MapPath\s*\(\s*Request/ nocase
        $c = /(SaveAs|WriteAllBytes|WriteAllText|AppendAllText|CreateText|StreamWriter|FileStream)\s*\([^;)]{0,80}\+\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]\s*"/ nocase
        $d = /\.\s*DownloadFile\s*\([^;]{0,120}([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]/ nocase
    condition:
        any of them
}

rule exray_uploader_client_name
{
    meta:
        family = "upload one-liner"
        description = "a tiny page whose job is to save an uploaded file into the web folder under the name the client chose"
    strings:
        $a = /SaveAs\s*\(\s*(Server|HttpContext\.Current\.Server|context\.Server)\s*\.\s*MapPath\s*\([^;]{0,60}(Request\s*\.\s*Files\s*\[\s*\d+\s*\]\s*\.\s*FileName|PostedFile\s*\.\s*FileName)/ nocase
    condition:
        filesize < 3KB and $a
}

rule exray_writer_script_page
{
    meta:
        family = "script-page dropper"
        description = "writes a new .aspx/.asp/.ashx page (or an SSI include) from a page or handler"
    strings:
        $w = /(WriteAllText|WriteAllBytes|CreateText|StreamWriter|AppendAllText)\s*\([^;]{0,200}\.(aspx|asp|ashx|asmx|asa|cer|cdx|soap)"/ nocase
        $i = /<!--\s*#include\s+(file|virtual)\s*=/ nocase
        $iw = /\.\s*Write(Line)?\s*\(\s*"<!--\s*#include/ nocase
        $pp = /PhysicalPath\s*\+\s*"\.(aspx|asp|ashx)"/ nocase
    condition:
        $w or $iw or $pp or ($i and $w)
}

rule exray_sql_client_from_request
{
    meta:
        family = "SQL shell"
        description = "opens a database connection whose connection string comes from the request, or runs xp_cmdshell"
    strings:
        $c = /(SqlConnection|OleDbConnection|OdbcConnection)\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]/ nocase
        $v1 = /(conn|connstr|connstring|connectionstring|constr|strconn|dsn)\s*=\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]/ nocase
        $v2 = /ConnectionString\s*=\s*[A-Za-z_][A-Za-z0-9_]{0,40}\.Text\b/ nocase
        $v3 = /"(server|data source)\s*=\s*"\s*\+\s*[A-Za-z_][A-Za-z0-9_]{0,40}(\.Text)?\s*\+\s*";\s*(database|initial catalog)\s*=\s*"\s*\+/ nocase
        $new = /new\s+(System\.Data\.(SqlClient|OleDb|Odbc)\.)?(SqlConnection|OleDbConnection|OdbcConnection)\s*\(/ nocase
        $x = "xp_cmdshell" nocase
        $q1 = /(SqlCommand|OleDbCommand|OdbcCommand|SqlDataAdapter|OleDbDataAdapter|OdbcDataAdapter)\s*\(\s*[A-Za-z_][A-Za-z0-9_]{0,40}\.Text\b/ nocase
        $q2 = /"select\s+(\*|"\s*\+\s*[A-Za-z_][A-Za-z0-9_.]{0,40}\s*\+\s*")\s+from\s+"\s*\+/ nocase
        $q3 = /Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]\s*"(sql|query|cmd|q|s)"\s*[\]\)]/ nocase
    condition:
        $c or $x or ($new and $v1) or ($new and ($v2 or $v3) and any of ($q*))
}

rule exray_full_shell_capabilities
{
    meta:
        family = "full-featured web shell (ASPXSpy family and descendants)"
        description = "one page combining at least five shell capabilities: commands, listing, file changes, uploads, drives, registry, databases, processes/services, sockets, system information, IIS metabase, time stomping"
    strings:
        $cap_exec = /(ProcessStartInfo|StartInfo\s*\.\s*FileName|["']WScript\.Shell["']|cmd\.exe)/ nocase
        $cap_list = /\.\s*(GetDirectories|GetFiles|GetFileSystemInfos)\s*\(/ nocase
        $cap_fmod = /(File|Directory)\s*\.\s*(Delete|Move|Copy|SetAttributes)\s*\(/ nocase
        $cap_upload = /\.\s*(SaveAs|WriteAllBytes)\s*\(/ nocase
        $cap_drives = /(GetLogicalDrives|DriveInfo\s*\.\s*GetDrives)/ nocase
        $cap_reg = /(Registry\s*\.\s*(LocalMachine|CurrentUser|ClassesRoot|Users)|RegistryKey\b)/ nocase
        $cap_db = /(SqlConnection|OleDbConnection|OdbcConnection)\b/ nocase
        $cap_proc = /(Process\s*\.\s*GetProcesses\s*\(|ServiceController\s*\.\s*GetServices|Win32_Process)/ nocase
        $cap_net = /new\s+(System\.Net\.Sockets\.)?(Socket|TcpClient)\s*\(/ nocase
        $cap_sys = /(Environment\s*\.\s*(OSVersion|UserDomainName|ProcessorCount|SystemDirectory)|LOCAL_ADDR|SERVER_SOFTWARE)/ nocase
        $cap_iis = /IIS:\/\/localhost/ nocase
        $cap_clone = /(SetLastWriteTime|SetCreationTime)\s*\(/ nocase
        $page = /<\s?%\s*@\s*(page|webhandler|webservice|control)\b/ nocase
    condition:
        $page and 5 of ($cap*)
}

rule exray_aspxspy_markers
{
    meta:
        family = "ASPXSpy"
        description = "ASPXSpy's own identifiers"
    strings:
        $a = "ASPXSpy" nocase
        $b = "Bin_Button_" ascii
        $c = "Bin_PostBack" ascii
        $d = /Bin_[A-Z][A-Za-z]+_Click/
    condition:
        2 of them
}

rule exray_file_manager_request_paths
{
    meta:
        family = "file manager / file reader"
        description = "deletes files or folders at a path taken directly from the request, or lists, reads back or sends such paths (two of these, or one in a tiny page)"
    strings:
        $del = /(File|Directory)\s*\.\s*Delete\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $read = /Response\s*\.\s*(Write|BinaryWrite)\s*\(\s*(System\.IO\.)?File\s*\.\s*(ReadAllText|ReadAllBytes)\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $send = /Response\s*\.\s*(WriteFile|TransmitFile)\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $list = /(Directory\s*\.\s*(GetFiles|GetDirectories|GetFileSystemEntries|EnumerateFiles|EnumerateDirectories)|new\s+(System\.IO\.)?DirectoryInfo)\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
    condition:
        $del or 2 of ($read, $send, $list) or (filesize < 2KB and ($read or $send or $list))
}
