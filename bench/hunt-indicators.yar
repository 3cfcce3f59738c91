/* The log indicators exray hunt checks, as plain YARA string rules, for bench/hunt.sh:
 * yara -r reports which files contain them; exray hunt parses the fields and applies
 * the conditions. */
rule proxylogon_ssrf { strings: $a = "ServerInfo~" nocase $b = "Server~" nocase condition: any of them }
rule proxylogon_iis { strings: $a = "/owa/auth/Current/themes/resources/" nocase $b = "/ecp/y.js" nocase $c = "/ecp/x.js" nocase condition: any of them }
rule attacker_ua { strings: $a = "ExchangeServicesClient/0.0.0.0" $b = "python-requests/" $c = "antSword/" condition: any of them }
rule cve_2021_27065 { strings: $a = "Set-OabVirtualDirectory" nocase $b = "ResetOABVirtualDirectory" nocase condition: any of them }
rule cve_2021_26858 { strings: $a = "Download failed and temporary file" nocase condition: $a }
rule webshell_access { strings: $a = "/aspnet_client/" nocase condition: $a }
rule proxyshell { strings: $a = "autodiscover.json" nocase $b = "X-Rps-CAT=" nocase condition: any of them }
