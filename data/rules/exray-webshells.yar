/*
 * exray web-shell rules, written for this project from the public descriptions of the
 * 2021 Exchange campaign (Microsoft/MSTIC, CISA MAR-10328929, Volexity) and of the shell
 * families dropped on Exchange servers afterwards. Every string is matched in ASCII and
 * UTF-16LE ("wide"), case-insensitively: attackers vary case and the OAB shells are written
 * by Exchange itself. Each rule's meta names its family and the check id exray reports.
 */

rule exray_chopper_jscript_eval
{
    meta:
        family = "China Chopper (JScript eval one-liner)"
        description = "eval of a request parameter with the 'unsafe' option: the China Chopper server side"
    strings:
        $eval = /eval\s*\(\s*Request(\s*\.\s*Item)?\s*[\[\(]/ nocase ascii wide
        $unsafe = "unsafe" nocase ascii wide
    condition:
        filesize < 2MB and $eval and $unsafe
}

rule exray_chopper_obfuscated
{
    meta:
        family = "China Chopper (obfuscated)"
        description = "Chopper one-liner with hex-escaped or array-indexed strings"
    strings:
        $hexunsafe = "\\x75\\x6E\\x73\\x61" nocase ascii wide
        $hexreq = /Request\s*\[\s*"\\x[0-9a-f]{2}/ nocase ascii wide
        $evalvar = /eval\s*\(\s*[A-Za-z_$][A-Za-z0-9_$]{0,20}\s*,/ nocase ascii wide
        $jsvar = "var _0x" ascii wide
        $evalreq0x = ";eval(Request[_0x" nocase ascii wide
        $orange = "','orange','unsafe','" ascii wide
        $page = /<%@\s*page\s+language\s*=\s*"?jscript/ nocase ascii wide
    condition:
        filesize < 1MB and ($evalreq0x or $orange or ($jsvar and $page) or ($page and $evalvar and ($hexunsafe or $hexreq)))
}

rule exray_hafnium_streamwriter_uploader
{
    meta:
        family = "HAFNIUM StreamWriter uploader"
        description = "writes a request-supplied path with request-supplied content"
    strings:
        $sw = /StreamWriter\s*\(\s*Request\s*\.\s*Form\s*[\[\(]/ nocase ascii wide
        $wr = /\.Write\s*\(\s*Request\s*\.\s*Form\s*[\[\(]/ nocase ascii wide
    condition:
        filesize < 2MB and $sw and $wr
}

rule exray_upload_oneliner
{
    meta:
        family = "ASPX upload one-liner"
        description = "saves an uploaded file to a request-supplied path"
    strings:
        $a = /Request\s*\.\s*Files\s*[\[\(]\s*0\s*[\]\)]\s*\.\s*SaveAs\s*\(\s*Server\s*\.\s*MapPath\s*\(\s*Request/ nocase ascii wide
    condition:
        filesize < 2MB and $a
}

rule exray_reflective_loader
{
    meta:
        family = "Behinder / Godzilla"
        description = "decrypts the request body with AES and loads it as a .NET assembly"
    strings:
        $load1 = "Assembly.Load(" nocase ascii wide
        $load2 = "GetMethod(\"Load\"" nocase ascii wide
        $dec1 = "CreateDecryptor(" nocase ascii wide
        $dec2 = "TransformFinalBlock(" nocase ascii wide
        $req1 = "Request.BinaryRead(" nocase ascii wide
        $req2 = /Request\s*\[\s*[A-Za-z_"]/ nocase ascii wide
        $req3 = "Request.InputStream" nocase ascii wide
    condition:
        filesize < 2MB and any of ($load*) and any of ($dec*) and any of ($req*)
}

rule exray_cmd_handler
{
    meta:
        family = "command-execution page or handler"
        description = "starts cmd.exe or powershell.exe with input taken from the request"
    strings:
        $cmd1 = "cmd.exe" nocase ascii wide
        $cmd2 = "powershell.exe" nocase ascii wide
        $p1 = "ProcessStartInfo" nocase ascii wide
        $p2 = /Process\s*\(\s*\)/ nocase ascii wide
        $p3 = "StartInfo.FileName" nocase ascii wide
        $r1 = /Request\s*(\.\s*(Form|QueryString|Item))?\s*[\[\(]/ nocase ascii wide
        $r2 = /\.Text\b/ ascii wide
        $aspx = /<%@\s*(Page|WebHandler|WebService)/ nocase ascii wide
    condition:
        filesize < 2MB and $aspx and any of ($cmd*) and any of ($p*) and ($r1 or $r2)
}

rule exray_chopper_custom_handler
{
    meta:
        family = "China Chopper 'customize' server"
        description = "Chopper's custom-mode handler: password parameter plus Z1/Z2 arguments"
    strings:
        $z1 = /Request\s*\.\s*Form\s*\[\s*"Z1"\s*\]/ nocase ascii wide
        $z2 = /Request\s*\.\s*Form\s*\[\s*"Z2"\s*\]/ nocase ascii wide
    condition:
        filesize < 2MB and $z1 and $z2
}

rule exray_aspxspy
{
    meta:
        family = "ASPXSpy"
        description = "ASPXSpy full-featured web shell"
    strings:
        $a = "ASPXSpy" nocase ascii wide
        $b = "Bin_Button_" ascii wide
        $c = "Bin_PostBack" ascii wide
    condition:
        filesize < 4MB and 2 of them
}

rule exray_webconfig_asp_shell
{
    meta:
        family = "web.config script shell"
        description = "a web.config that maps .config to asp.dll and carries ASP code"
    strings:
        $h = "scriptProcessor" nocase ascii wide
        $asp = "asp.dll" nocase ascii wide
        $cfg = "path=\"*.config\"" nocase ascii wide
        $code = "<%" ascii wide
    condition:
        filesize < 1MB and all of them
}

rule exray_oab_vdir_shell
{
    meta:
        family = "CVE-2021-27065 OAB virtual directory shell"
        description = "an OAB virtual-directory dump written by Set-OabVirtualDirectory/Reset with script in a URL"
    strings:
        $s1 = "script language" nocase ascii wide
        $s2 = "page language" nocase ascii wide
        $s3 = "runat=\"server\"" nocase ascii wide
        $s4 = "/script" nocase ascii wide
        $u1 = "ExternalUrl" nocase ascii wide
        $u2 = "InternalUrl" nocase ascii wide
        $m1 = "InternalAuthenticationMethods" nocase ascii wide
        $m2 = "ExtendedProtectionTokenChecking" nocase ascii wide
    condition:
        filesize < 1MB and any of ($s*) and any of ($u*) and $m1 and $m2
}

rule exray_oab_vdir_dump_bogus_url
{
    meta:
        family = "CVE-2021-27065 OAB virtual directory shell (script stripped)"
        description = "OAB virtual-directory dump whose ExternalUrl is the one-letter host used by the 2021 attackers (http://f/)"
    strings:
        $oab = "OfflineAddressBooks" nocase ascii wide
        $ext = /ExternalUrl\s+:\s+https?:\/\/[A-Za-z0-9]\// nocase ascii wide
        $m = "ExtendedProtectionTokenChecking" nocase ascii wide
    condition:
        filesize < 1MB and $oab and $ext and $m
}

rule exray_hafnium_tiny
{
    meta:
        family = "HAFNIUM 'Tiny' shell"
        description = "very small JScript page evaluating a form field"
    strings:
        $p = /<%@\s*Page\s+Language\s*=\s*"?Jscript"?\s+Debug\s*=\s*true/ nocase ascii wide
        $f = "=Request.Form(\"" nocase ascii wide
        $e = "eval(" nocase ascii wide
    condition:
        filesize < 4KB and all of them
}

rule exray_sportsball
{
    meta:
        family = "SPORTSBALL"
        description = "SPORTSBALL web shell cookie"
    strings:
        $a = "HttpCookie newcook = new HttpCookie(\"fqrspt\"" nocase ascii wide
    condition:
        $a
}
