/*
 * Reconnaissance and credential theft from a page: IIS metabase passwords, decrypted
 * connection strings, writable-folder scanners, search-engine cloaking in Global.asax.
 * Normalised view (see eval.yar). Written for exray.
 */

rule exray_recon_iis_passwords
{
    meta:
        family = "IIS credential reader"
        description = "reads anonymous-user or application-pool passwords from the IIS metabase"
    strings:
        $a = /IIS:\/\/localhost\/W3SVC/ nocase
        $b = /(AnonymousUserPass|WAMUserPass|AppPoolIdentity|WAMUserName|AnonymousUserName)/ nocase
    condition:
        $a and $b
}

rule exray_recon_config_decrypt
{
    meta:
        family = "configuration decryptor"
        description = "decrypts protected web.config sections (connection strings) and prints them"
    strings:
        $a = /(Rsa|Dpapi)ProtectedConfigurationProvider/ nocase
        $b = /\.\s*Decrypt\s*\(/ nocase
        $c = /(UnprotectSection|SectionInformation)/ nocase
        $page = /<\s?%\s*@\s*(page|webhandler|webservice)\b/ nocase
    condition:
        $page and (($a and $b) or ($c and $b))
}

rule exray_recon_writable_scan
{
    meta:
        family = "writable-folder scanner"
        description = "walks the disk and tests each folder for write access by creating a file"
    strings:
        $a = /\.\s*GetDirectories\s*\(/ nocase
        $b = /File\s*\.\s*Create\s*\([^;]{0,80}\+\s*"\\\\[A-Za-z0-9_.]{1,20}"/ nocase
        $c = /(ScanWrtieable|ScanWriteable|ScanRights|writeable|writable)/ nocase
        $d = /(File\s*\.\s*Delete|\.CanWrite|GetAccessControl|FileSystemRights)/ nocase
        $e = /Registry\s*\.\s*LocalMachine/ nocase
    condition:
        $a and ($b or ($c and $d) or ($c and $e))
}

rule exray_seo_cloaking_global
{
    meta:
        family = "search-engine cloaking backdoor"
        description = "Global.asax/page code serving remote content to search-engine spiders only"
    strings:
        $ua = /(HTTP_USER_AGENT|UserAgent)/ nocase
        $bot = /(baiduspider|googlebot|sogou|360spider|yisou|bingbot)/ nocase
        $fetch = /(WebClient|DownloadString|DownloadData|HttpWebRequest)/ nocase
        $out = /Response\s*\.\s*(Write|BinaryWrite|Redirect)/ nocase
        $g = /(Session_Start|Application_BeginRequest|Page_Load)/ nocase
    condition:
        $ua and $bot and $fetch and $out and $g
}

rule exray_recon_system_imports
{
    meta:
        family = "full web shell (system namespaces)"
        description = "a page importing most of the namespaces a full shell needs: processes, WMI, registry, sockets, directory services, services, P/Invoke"
    strings:
        $n1 = /<%@\s*import\s+namespace\s*=\s*"System\.Diagnostics"/ nocase
        $n2 = /<%@\s*import\s+namespace\s*=\s*"System\.Management"/ nocase
        $n3 = /<%@\s*import\s+namespace\s*=\s*"Microsoft\.Win32"/ nocase
        $n4 = /<%@\s*import\s+namespace\s*=\s*"System\.Net\.Sockets"/ nocase
        $n5 = /<%@\s*import\s+namespace\s*=\s*"System\.DirectoryServices"/ nocase
        $n6 = /<%@\s*import\s+namespace\s*=\s*"System\.ServiceProcess"/ nocase
        $n7 = /<%@\s*import\s+namespace\s*=\s*"System\.Runtime\.InteropServices"/ nocase
        $n8 = /<%@\s*import\s+namespace\s*=\s*"System\.Data\.OleDb"/ nocase
        $n9 = /<%@\s*import\s+namespace\s*=\s*"System\.Security\.AccessControl"/ nocase
    condition:
        5 of them
}

rule exray_recon_registry_hives
{
    meta:
        family = "registry browser"
        description = "a page walking several registry hives (HKLM, HKCU, HKU, HKCR, HKCC)"
    strings:
        $h1 = /Registry\s*\.\s*LocalMachine/ nocase
        $h2 = /Registry\s*\.\s*CurrentUser/ nocase
        $h3 = /Registry\s*\.\s*Users\b/ nocase
        $h4 = /Registry\s*\.\s*ClassesRoot/ nocase
        $h5 = /Registry\s*\.\s*(CurrentConfig|PerformanceData|DynData)/ nocase
        $page = /<\s?%\s*@\s*(page|webhandler|webservice|control)\b/ nocase
    condition:
        $page and 3 of ($h*)
}

rule exray_recon_registry_request
{
    meta:
        family = "registry browser"
        description = "opens a registry key named by the request"
    strings:
        $a = /(Registry\s*\.\s*(LocalMachine|CurrentUser|Users|ClassesRoot|CurrentConfig)|RegistryKey\s*\.\s*OpenBaseKey\s*\([^;]{0,80}\))\s*\.\s*OpenSubKey\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
    condition:
        $a
}

rule exray_credential_dump_lsass
{
    meta:
        family = "credential dumping"
        description = "dumps LSASS memory (comsvcs.dll MiniDump, procdump -ma lsass, MiniDumpWriteDump of lsass) or carries Mimikatz commands: what the 2021 Exchange intruders ran after their web shells"
    strings:
        $c = /comsvcs(\.dll)?["']?\s*,?\s*(MiniDump\b|#\+?0*24\b)/ nocase
        $p = /procdump(64)?(\.exe)?[^\r\n;]{0,80}lsass/ nocase
        $m = "MiniDumpWriteDump" nocase
        $l = "lsass" nocase
        $k1 = "sekurlsa::" nocase
        $k2 = "lsadump::" nocase
    condition:
        $c or $p or ($m and $l) or any of ($k*)
}

rule exray_credential_harvest
{
    meta:
        family = "credential harvester (modified OWA logon page, Owowa-style module)"
        description = "reads the submitted user name and password fields and writes them to a file or sends them out"
    strings:
        $pw = /Request\s*(\.\s*(Form|Params|Item))?\s*[\[\(]\s*"(password|passwd|pwd)"\s*[\]\)]/ nocase
        $us = /Request\s*(\.\s*(Form|Params|Item))?\s*[\[\(]\s*"(username|user|login|email|destination)"\s*[\]\)]/ nocase
        $w1 = /(AppendAllText|WriteAllText|AppendAllLines|WriteAllLines|AppendText)\s*\(/ nocase
        $w2 = /new\s+(System\.IO\.)?(StreamWriter|FileStream)\s*\(/ nocase
        $x1 = /\.\s*(UploadString|UploadValues|UploadData|DownloadString)\s*\(/ nocase
        $x2 = /new\s+(System\.Net\.Mail\.)?SmtpClient\s*\(/ nocase
    condition:
        $pw and $us and (any of ($w*) or any of ($x*))
}
