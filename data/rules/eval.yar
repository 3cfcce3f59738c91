/*
 * Script evaluation of request data: China Chopper and its descendants (JScript eval with
 * "unsafe", VBScript Execute/Eval, MSScriptControl, Microsoft.JScript.Eval from C#).
 * Rules read exray's normalised view: comments are gone, "ev"+"al" reads "eval",
 * \u0065 and &#101; read "e", UTF-16 reads as UTF-8. Written for exray from the behaviour
 * public write-ups describe (FireEye's China Chopper analysis, CISA MAR-10328929).
 */

rule exray_jscript_server_eval
{
    meta:
        family = "China Chopper family (server-side JScript eval)"
        description = "server-side JScript that calls eval() or names its 'unsafe' option: ASP.NET pages never need either; Chopper and its variants are built on them"
    strings:
        $dir = /<\s?%\s*@\s*(page|control|master|webservice|webhandler|servicehost|application)\b[^>]{0,300}language\s*=\s*["']?\s*j(ava)?script/ nocase
        $tag1 = /<script\b[^>]{0,200}language\s*=\s*["']?j(ava)?script["']?[^>]{0,200}runat\s*=\s*["']?server/ nocase
        $tag2 = /<script\b[^>]{0,200}runat\s*=\s*["']?server["']?[^>]{0,200}language\s*=\s*["']?j(ava)?script/ nocase
        $eval = /\beval\s*\(/ nocase
        $unsafe = /["']unsafe["']/ nocase
    condition:
        any of ($dir, $tag1, $tag2) and ($eval or $unsafe)
}

rule exray_eval_request
{
    meta:
        family = "China Chopper family (eval of request data)"
        description = "eval/Execute of a request parameter, or eval with the 'unsafe' option, in any server language"
    strings:
        $e1 = /\b(eval|execute|executeglobal|executestatement)\s*\(?\s*(System\.Text\.Encoding\.[A-Za-z0-9_.]{1,40}\.GetString\s*\(\s*)?(System\.)?(Convert\.FromBase64String\s*\(\s*)?([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|ServerVariables)\s*)?[\[\(.]/ nocase
        $e2 = /\beval\s*\([^;]{0,300}["']unsafe["']/ nocase
        $e3 = /\b(execute|executeglobal|eval)\s*\(?\s*["']?\s*\(?\s*request\s*(\.\s*(item|form|querystring))?\s*\(/ nocase
        $e4 = /["']ev["']?\s*&?\s*["']?al\s*\(\s*request/ nocase
    condition:
        any of them
}

rule exray_script_control
{
    meta:
        family = "MSScriptControl shell"
        description = "MSScriptControl.ScriptControl runs script text supplied at run time"
    strings:
        $a = "MSScriptControl.ScriptControl" nocase
        $b = /\.(ExecuteStatement|AddCode|Eval|Run)\b/ nocase
    condition:
        $a and $b
}

rule exray_jscript_evaluate_from_dotnet
{
    meta:
        family = "China Chopper (C# / VB via Microsoft.JScript)"
        description = "Microsoft.JScript.Eval.JScriptEvaluate or a VsaEngine evaluating request data from C# or VB"
    strings:
        $a = "JScriptEvaluate" nocase
        $b = "Microsoft.JScript.Vsa.VsaEngine" nocase
        $c = /Microsoft\.JScript\.Eval/ nocase
    condition:
        $a or ($b and $c)
}

rule exray_chopper_customize
{
    meta:
        family = "China Chopper 'customize' server"
        description = "Chopper's custom-mode server: a password parameter dispatching on Z0/Z1/Z2 arguments"
    strings:
        $z1 = /Request\s*(\.\s*(Form|Item|Params))?\s*[\[\(]\s*"z1"\s*[\]\)]/ nocase
        $z2 = /Request\s*(\.\s*(Form|Item|Params))?\s*[\[\(]\s*"z2"\s*[\]\)]/ nocase
        $z0 = /Request\s*(\.\s*(Form|Item|Params))?\s*[\[\(]\s*"z0"\s*[\]\)]/ nocase
    condition:
        2 of them
}

rule exray_xslt_script
{
    meta:
        family = "XSLT script shell"
        description = "an XSLT with msxsl:script compiled and run with request data (zcgonvh's XslCompiledTransform shell), or a stylesheet taken from the request compiled with scripts enabled"
    strings:
        $x1 = "XslCompiledTransform" nocase
        $x2 = "XsltSettings" nocase
        $s = "msxsl:script" nocase
        $r = /Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[\[\(]/ nocase
        $en = /(XsltSettings\s*\(\s*(true|false)\s*,\s*true\s*\)|XsltSettings\s*\.\s*TrustedXslt|EnableScript\s*=\s*true)/ nocase
        $load = /\.\s*Load\s*\([^;]{0,160}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|InputStream))?\s*[\[\(.]/ nocase
    condition:
        (any of ($x*) and $s and $r) or ($x1 and $en and $load)
}
