/*
 * Loaders: pages that turn request bytes into running .NET code (Behinder, Godzilla,
 * AntSword, SharPyShell, wolfshell), compile source at run time, install memory shells
 * (VirtualPathProvider, routes, filters, HttpListener, ASP.NET Core middleware), or run
 * shellcode. Normalised view (see eval.yar). Written for exray.
 */

rule exray_loader_assembly_from_payload
{
    meta:
        family = "Behinder / Godzilla / AntSword loader"
        description = "Assembly.Load of decoded or decrypted bytes (base64, AES/Rijndael, session-cached payload)"
    strings:
        $l1 = /Assembly\s*\.\s*Load\s*\(/ nocase
        $l2 = /GetMethod\s*\(\s*"Load"/ nocase
        $l3 = /AppDomain\s*\.\s*CurrentDomain\s*\.\s*Load\s*\(/ nocase
        $l4 = /\.\s*Load\s*\(\s*(System\.)?Convert\s*\.\s*FromBase64String/ nocase
        $d1 = "FromBase64String" nocase
        $d2 = "CreateDecryptor" nocase
        $d3 = "TransformFinalBlock" nocase
        $d4 = /Request\s*\.\s*(BinaryRead|InputStream)/ nocase
    condition:
        any of ($l*) and any of ($d*)
}

rule exray_loader_create_instance
{
    meta:
        family = "Behinder / AntSword loader"
        description = "loads an assembly and instantiates a one- or few-letter class from it (U, LY, Run, K)"
    strings:
        $l = /(Assembly\s*\.\s*Load|\.\s*Load)\s*\(/ nocase
        $c = /\.\s*CreateInstance\s*\(\s*("[A-Za-z]{1,4}"|\(\s*\(\s*char\s*\)\s*\d{2,3}\s*\)\s*\.\s*ToString\s*\(\s*\))/ nocase
    condition:
        $l and $c
}

rule exray_loader_runtime_compile
{
    meta:
        family = "runtime compiler shell (SharPyShell, CodeDom, Roslyn)"
        description = "compiles source text received at run time and runs it"
    strings:
        $c1 = "CompileAssemblyFromSource" nocase
        $c2 = /CSharpCompilation\s*\.\s*Create/ nocase
        $c3 = /CSharpSyntaxTree\s*\.\s*ParseText/ nocase
        $c4 = "CompiledAssembly" nocase
        $s1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|InputStream|BinaryRead|Body))?\s*[\[\(.]/ nocase
        $s2 = "FromBase64String" nocase
        $s3 = "CreateDecryptor" nocase
        $s4 = /\.\s*(Invoke|CreateInstance)\s*\(/ nocase
    condition:
        (any of ($c1, $c2, $c3)) and (2 of ($s*) or $c4)
}

rule exray_memshell_virtualpath
{
    meta:
        family = "VirtualPathProvider memory shell"
        description = "a page that registers a VirtualPathProvider (often through the non-public registration method): a ghost page served from memory"
    strings:
        $a = "RegisterVirtualPathProviderInternal" nocase
        $b = /RegisterVirtualPathProvider\s*\(/ nocase
        $c = /class\s+[A-Za-z0-9_]+\s*:\s*(System\.Web\.Hosting\.)?VirtualPathProvider/ nocase
        $page = /<\s?%\s*@\s*(page|webhandler|webservice|control)\b/ nocase
        $cs = /\bclass\s+[A-Za-z0-9_]+\s*:\s*(System\.Web\.Hosting\.)?VirtualFile\b/ nocase
        $x1 = "FromBase64String" nocase
        $x2 = /GetMethod\s*\(/ nocase
        $x3 = "BindingFlags.NonPublic" nocase
    condition:
        $a or ($page and ($b or $c)) or (($b or $c) and $cs and any of ($x*))
}

rule exray_memshell_route_filter
{
    meta:
        family = "route / filter / module memory shell"
        description = "a page (not the application's start-up code) that inserts a route, MVC filter or HTTP module at run time"
    strings:
        $page = /<\s?%\s*@\s*(page|webhandler|webservice|control)\b/ nocase
        $ashx = "IHttpHandler" nocase
        $r1 = /RouteTable\s*\.\s*Routes\s*\.\s*(Insert|Add|MapPageRoute)/ nocase
        $r2 = /GlobalFilters\s*\.\s*Filters\s*\.\s*Add/ nocase
        $r3 = /DynamicModuleUtility\s*\.\s*RegisterModule/ nocase
        $r4 = /GlobalConfiguration\s*\.\s*Configuration\s*\.\s*(MessageHandlers|Filters)\s*\.\s*Add/ nocase
        $s1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|InputStream|BinaryRead))?\s*[\[\(.]/ nocase
        $s2 = /(Assembly\s*\.\s*Load|eval\s*\(|CreateDecryptor|ProcessStartInfo|FromBase64String)/ nocase
    condition:
        ($page or $ashx) and any of ($r*) and ($s2 or $s1)
}

rule exray_memshell_httplistener
{
    meta:
        family = "HttpListener backdoor (NAPLISTENER-like, CVE-2020-17144 payload)"
        description = "starts an HttpListener on a URL prefix and executes what it receives"
    strings:
        $a = "HttpListener" nocase
        $b = /Prefixes\s*\.\s*Add\s*\(/ nocase
        $x1 = "ProcessStartInfo" nocase
        $x2 = /Assembly\s*\.\s*Load/ nocase
        $x3 = /Process\s*\.\s*Start/ nocase
        $x4 = "CreateDecryptor" nocase
        $x5 = "FromBase64String" nocase
        $x6 = /eval\s*\(/ nocase
        $x7 = /\.\s*Invoke\s*\(/ nocase
    condition:
        $a and $b and any of ($x*)
}

rule exray_memshell_aspnetcore
{
    meta:
        family = "ASP.NET Core memory shell (Razor injector)"
        description = "a Razor page that adds middleware, an action or a file provider at run time and compiles or loads code"
    strings:
        $r1 = "@functions" nocase
        $r2 = /@\{/
        $i1 = "ApplicationBuilder" nocase
        $i2 = "IActionDescriptorChangeProvider" nocase
        $i3 = "ApplicationPartManager" nocase
        $i4 = "RequestDelegate" nocase
        $i5 = "IFileProvider" nocase
        $i6 = "ServiceProvider" nocase
        $c1 = /Assembly\s*\.\s*Load\s*\(/ nocase
        $c2 = /CSharpCompilation\s*\.\s*Create/ nocase
        $c3 = "CreateDecryptor" nocase
        $c4 = "ProcessStartInfo" nocase
        $c5 = "System.Reflection.Emit" nocase
    condition:
        any of ($r*) and any of ($i*) and 2 of ($c*)
}

rule exray_shellcode_runner
{
    meta:
        family = "shellcode runner"
        description = "allocates executable memory and starts a thread on it (VirtualAlloc + CreateThread / delegate)"
    strings:
        $a = "VirtualAlloc" nocase
        $b1 = "CreateThread" nocase
        $b2 = "CreateRemoteThread" nocase
        $b3 = /GetDelegateForFunctionPointer/ nocase
        $b4 = "VirtualProtect" nocase
        $c = /Marshal\s*\.\s*Copy\s*\(/ nocase
    condition:
        $a and any of ($b*) or ($b2 and $c)
}

rule exray_loader_reflect_decrypted_request
{
    meta:
        family = "Godzilla / Behinder loader (reflection, obfuscated)"
        description = "decrypts request data and reaches Assembly loading or invocation through reflection"
    strings:
        $d1 = "CreateDecryptor" nocase
        $d2 = "TransformFinalBlock" nocase
        $r1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $r2 = /Request\s*\.\s*(InputStream|BinaryRead)/ nocase
        $r3 = /(=|\(|\s)[A-Za-z_]{1,3}\s*\.\s*(InputStream|Cookies|Form)\b/ nocase
        $x1 = /typeof\s*\(\s*(System\.Reflection\.)?Assembly\s*\)/ nocase
        $x2 = /\(\s*(System\.Reflection\.)?Assembly\s*\)/ nocase
        $x3 = /\.\s*CreateInstance\s*\(/ nocase
        $x4 = /GetMethod\s*\([^;]{0,200}\)\s*\.\s*Invoke\s*\(/ nocase
        $x5 = /Assembly\s*\.\s*Load/ nocase
    condition:
        any of ($d*) and any of ($r*) and any of ($x*)
}

rule exray_loader_reflection_chain
{
    meta:
        family = "assembly-load shell (SharPyShell and kin)"
        description = "loads an assembly from bytes, creates an instance and invokes a method with request data"
    strings:
        $l = /Assembly\s*\.\s*Load\s*\(\s*[A-Za-z_][A-Za-z0-9_]{0,20}\s*\)/ nocase
        $c = /\.\s*CreateInstance\s*\(/ nocase
        $m = /GetMethod\s*\(\s*"[A-Za-z_]{1,12}"\s*\)/ nocase
        $i = /\.\s*Invoke\s*\(/ nocase
        $r = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $x = /\^=\s*\(\s*byte\s*\)/ nocase
    condition:
        $l and $c and $m and $i and ($r or $x)
}

rule exray_loader_payload_class
{
    meta:
        family = "Behinder / AntSword payload class"
        description = "a class whose Equals(object) override receives the page or context and serves the request: the calling convention of CreateInstance(...).Equals(this) loaders"
    strings:
        $eq = /override\s+bool\s+Equals\s*\(\s*[Oo]bject\s+[A-Za-z_][A-Za-z0-9_]*\s*\)/
        $req = /(this\s*\.\s*)?Request\s*(=|\.\s*(Form|QueryString|Item|Params|InputStream|BinaryRead))/ nocase
        $res = /Response\s*\.\s*(Write|BinaryWrite|OutputStream)/ nocase
        $x1 = "FromBase64String" nocase
        $x2 = "ProcessStartInfo" nocase
        $x3 = "CreateDecryptor" nocase
        $x4 = /\.\s*(GetFiles|GetDirectories)\s*\(/ nocase
        $x5 = /(FileStream|WriteAllBytes)\s*\(/ nocase
    condition:
        $eq and $req and $res and any of ($x*)
}

rule exray_antsword_protocol
{
    meta:
        family = "AntSword"
        description = "AntSword's response delimiters ->| and |<- around a result"
    strings:
        $a = "\"->|\""
        $b = "\"|<-\""
    condition:
        $a and $b
}

rule exray_loader_deserialize_request
{
    meta:
        family = "deserialization loader"
        description = "BinaryFormatter, LosFormatter, ObjectStateFormatter, SoapFormatter or NetDataContractSerializer deserializing request data (a named field, not ASP.NET's own __ fields): runs the gadget chain a client sends"
    strings:
        $f = /(BinaryFormatter|LosFormatter|ObjectStateFormatter|SoapFormatter|NetDataContractSerializer)\b/ nocase
        $d1 = /\.\s*Deserialize\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]\s*"[^_"]/ nocase
        $d2 = /\.\s*Deserialize\s*\(\s*new\s+(System\.IO\.)?MemoryStream\s*\(\s*(System\.)?Convert\s*\.\s*FromBase64String\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request/ nocase
        $d3 = /\.\s*Deserialize\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,30}\.){0,2}Request\s*\.\s*InputStream/ nocase
    condition:
        $f and any of ($d*)
}

rule exray_loader_instance_handed_context
{
    meta:
        family = "assembly loader (Behinder-style hand-off)"
        description = "instantiates a class of a loaded assembly and hands it the page through Equals(Context/this): how a shell passes the request to a payload DLL"
    strings:
        $l = /Assembly\s*\.\s*(Load|LoadFile|LoadFrom|UnsafeLoadFrom)\s*\(/ nocase
        $c = /\.\s*CreateInstance\s*\(/ nocase
        $e = /\.\s*Equals\s*\(\s*(Context|HttpContext\.Current|this|Page)\s*\)/ nocase
    condition:
        $l and $c and $e
}

rule exray_loader_reflection_from_request
{
    meta:
        family = "reflection dispatcher"
        description = "looks up a type or method whose name the request supplies and invokes it: the client chooses what code runs"
    strings:
        $t = /GetType\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,20}\.)?Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $m = /(GetMethod|InvokeMember)\s*\(\s*([A-Za-z_][A-Za-z0-9_]{0,20}\.)?Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*[\[\(]/ nocase
        $i = /(\.\s*Invoke\s*\(|CreateInstance\s*\()/ nocase
    condition:
        $m or ($t and $i)
}
