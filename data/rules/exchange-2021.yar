/*
 * exray web-shell rules, written for this project from the public descriptions of the
 * 2021 Exchange campaign (Microsoft/MSTIC, CISA MAR-10328929, Volexity) and of the shell
 * families dropped on Exchange servers afterwards. Like every built-in rule they run on the
 * normalised view (src/hunt/normalize.c: UTF-16 decoded, comments removed, escapes decoded,
 * literal concatenation joined), so they match plain text, case-insensitively.
 */

rule exray_chopper_jscript_eval
{
    meta:
        family = "China Chopper (JScript eval one-liner)"
        description = "eval of a request parameter with the 'unsafe' option: the China Chopper server side"
    strings:
        $eval = /eval\s*\(\s*Request(\s*\.\s*Item)?\s*[\[\(]/ nocase
        $unsafe = "unsafe" nocase
    condition:
        filesize < 2MB and $eval and $unsafe
}

rule exray_chopper_obfuscated
{
    meta:
        family = "China Chopper (obfuscated)"
        description = "Chopper one-liner with hex-escaped or array-indexed strings"
    strings:
        $hexunsafe = "\\x75\\x6E\\x73\\x61" nocase
        $hexreq = /Request\s*\[\s*"\\x[0-9a-f]{2}/ nocase
        $evalvar = /eval\s*\(\s*[A-Za-z_$][A-Za-z0-9_$]{0,20}\s*,/ nocase
        $jsvar = "var _0x"
        $evalreq0x = ";eval(Request[_0x" nocase
        $orange = "','orange','unsafe','"
        $page = /<%@\s*page\s+language\s*=\s*"?jscript/ nocase
    condition:
        filesize < 1MB and ($evalreq0x or $orange or ($jsvar and $page) or ($page and $evalvar and ($hexunsafe or $hexreq)))
}

rule exray_hafnium_streamwriter_uploader
{
    meta:
        family = "HAFNIUM StreamWriter uploader"
        description = "writes a request-supplied path with request-supplied content"
    strings:
        $sw = /StreamWriter\s*\(\s*Request\s*\.\s*Form\s*[\[\(]/ nocase
        $wr = /\.Write\s*\(\s*Request\s*\.\s*Form\s*[\[\(]/ nocase
    condition:
        filesize < 2MB and $sw and $wr
}

rule exray_upload_oneliner
{
    meta:
        family = "ASPX upload one-liner"
        description = "saves an uploaded file to a request-supplied path"
    strings:
        $a = /Request\s*\.\s*Files\s*[\[\(]\s*0\s*[\]\)]\s*\.\s*SaveAs\s*\(\s*Server\s*\.\s*MapPath\s*\(\s*Request/ nocase
    condition:
        filesize < 2MB and $a
}

rule exray_reflective_loader
{
    meta:
        family = "Behinder / Godzilla"
        description = "decrypts the request body with AES and loads it as a .NET assembly"
    strings:
        $load1 = "Assembly.Load(" nocase
        $load2 = "GetMethod(\"Load\"" nocase
        $dec1 = "CreateDecryptor(" nocase
        $dec2 = "TransformFinalBlock(" nocase
        $req1 = "Request.BinaryRead(" nocase
        $req2 = /Request\s*\[\s*[A-Za-z_"]/ nocase
        $req3 = "Request.InputStream" nocase
    condition:
        filesize < 2MB and any of ($load*) and any of ($dec*) and any of ($req*)
}

rule exray_cmd_handler
{
    meta:
        family = "command-execution page or handler"
        description = "starts cmd.exe or powershell.exe with input taken from the request"
    strings:
        $cmd1 = "cmd.exe" nocase
        $cmd2 = "powershell.exe" nocase
        $p1 = "ProcessStartInfo" nocase
        $p2 = /Process\s*\(\s*\)/ nocase
        $p3 = "StartInfo.FileName" nocase
        $r1 = /Request\s*(\.\s*(Form|QueryString|Item))?\s*[\[\(]/ nocase
        $r2 = /\.Text\b/
        $aspx = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $aspx and any of ($cmd*) and any of ($p*) and ($r1 or $r2)
}

rule exray_chopper_custom_handler
{
    meta:
        family = "China Chopper 'customize' server"
        description = "Chopper's custom-mode handler: password parameter plus Z1/Z2 arguments"
    strings:
        $z1 = /Request\s*\.\s*Form\s*\[\s*"Z1"\s*\]/ nocase
        $z2 = /Request\s*\.\s*Form\s*\[\s*"Z2"\s*\]/ nocase
    condition:
        filesize < 2MB and $z1 and $z2
}

rule exray_aspxspy
{
    meta:
        family = "ASPXSpy"
        description = "ASPXSpy full-featured web shell"
    strings:
        $a = "ASPXSpy" nocase
        $b = "Bin_Button_"
        $c = "Bin_PostBack"
    condition:
        filesize < 4MB and 2 of them
}

rule exray_webconfig_asp_shell
{
    meta:
        family = "web.config script shell"
        description = "a web.config that maps .config to asp.dll and carries ASP code"
    strings:
        $h = "scriptProcessor" nocase
        $asp = "asp.dll" nocase
        $cfg = "path=\"*.config\"" nocase
        $code = "<%"
    condition:
        filesize < 1MB and all of them
}

rule exray_oab_vdir_shell
{
    meta:
        family = "CVE-2021-27065 OAB virtual directory shell"
        description = "an OAB virtual-directory dump written by Set-OabVirtualDirectory/Reset with script in a URL"
    strings:
        $s1 = "script language" nocase
        $s2 = "page language" nocase
        $s3 = "runat=\"server\"" nocase
        $s4 = "/script" nocase
        $u1 = "ExternalUrl" nocase
        $u2 = "InternalUrl" nocase
        $m1 = "InternalAuthenticationMethods" nocase
        $m2 = "ExtendedProtectionTokenChecking" nocase
    condition:
        filesize < 1MB and any of ($s*) and any of ($u*) and $m1 and $m2
}

rule exray_oab_vdir_dump_bogus_url
{
    meta:
        family = "CVE-2021-27065 OAB virtual directory shell (script stripped)"
        description = "OAB virtual-directory dump whose ExternalUrl is the one-letter host used by the 2021 attackers (http://f/)"
    strings:
        $oab = "OfflineAddressBooks" nocase
        $ext = /ExternalUrl\s+:\s+https?:\/\/[A-Za-z0-9]\// nocase
        $m = "ExtendedProtectionTokenChecking" nocase
    condition:
        filesize < 1MB and $oab and $ext and $m
}

rule exray_hafnium_tiny
{
    meta:
        family = "HAFNIUM 'Tiny' shell"
        description = "very small JScript page evaluating a form field"
    strings:
        $p = /<%@\s*Page\s+Language\s*=\s*"?Jscript"?\s+Debug\s*=\s*true/ nocase
        $f = "=Request.Form(\"" nocase
        $e = "eval(" nocase
    condition:
        filesize < 4KB and all of them
}

rule exray_sportsball
{
    meta:
        family = "SPORTSBALL"
        description = "SPORTSBALL web shell cookie"
    strings:
        $a = "HttpCookie newcook = new HttpCookie(\"fqrspt\"" nocase
    condition:
        $a
}
