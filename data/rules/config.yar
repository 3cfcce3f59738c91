/*
 * web.config and handler shells: a web.config that runs its own ASP code or maps script
 * engines onto new extensions, and handler/service files whose only job is to execute.
 * Normalised view (see eval.yar). Written for exray.
 */

rule exray_webconfig_script
{
    meta:
        family = "web.config script shell"
        description = "a web.config carrying server-side script code (run through an asp.dll or handler mapping)"
    strings:
        $cfg = "<configuration" nocase
        $code1 = /<%[^>]{0,400}(Execute|eval|CreateObject|Response\.Write|Request)/ nocase
        $code2 = /<script[^>]{0,200}runat\s*=\s*["']?server/ nocase
        $map1 = "scriptProcessor" nocase
        $map2 = /(asp\.dll|aspnet_isapi\.dll)/ nocase
    condition:
        $cfg and (any of ($code*)) and ($map1 or $map2 or $code1)
}

rule exray_webconfig_handler_exec
{
    meta:
        family = "web.config handler mapping for script execution"
        description = "a web.config that maps an unusual extension (.config, .jpg, .txt, ...) onto a script engine or the page compiler"
    strings:
        $a = /path\s*=\s*"\*\.(config|jpg|jpeg|gif|png|txt|ico|bmp)"[^>]{0,300}(scriptProcessor|asp\.dll|PageHandlerFactory|SimpleHandlerFactory)/ nocase
        $b = /(scriptProcessor|asp\.dll|PageHandlerFactory|SimpleHandlerFactory)[^>]{0,300}path\s*=\s*"\*\.(config|jpg|jpeg|gif|png|txt|ico|bmp)"/ nocase
        $c = /<buildProviders>[^<]{0,100}<add\s+extension\s*=\s*"\.(jpg|jpeg|gif|png|txt|ico|bmp|config)"/ nocase
    condition:
        any of them
}
