/*
 * HTTP tunnels: reGeorg / Neo-reGeorg / ABPTTS / Tunna / pivotnacci / suo5 / pystinger.
 * A page or handler that opens TCP sockets to a place named by the request, keeps them in
 * the session and shuttles bytes between the request body and the socket. Normalised
 * view (see eval.yar). Written for exray.
 */

rule exray_tunnel_socket_commands
{
    meta:
        family = "HTTP socket tunnel (reGeorg family)"
        description = "socket connect/read/forward/disconnect driven by request commands or headers"
    strings:
        $s1 = /new\s+(System\.Net\.Sockets\.)?Socket\s*\(/ nocase
        $s2 = /new\s+(System\.Net\.Sockets\.)?TcpClient\s*\(/ nocase
        $s3 = /new\s+(System\.Net\.Sockets\.)?TcpListener\s*\(/ nocase
        $s4 = /\.\s*(BeginConnect|ConnectAsync)\s*\(/ nocase
        $k1 = /"(CONNECT|DISCONNECT|FORWARD|READ|LISTEN)"/
        $k2 = /"X-(CMD|STATUS|ERROR|TARGET|PORT|HOST|NEXTHOP|REDIRECTURL)"/ nocase
        $k3 = /Session\s*(\.\s*Add\s*\(|\[)\s*"[A-Za-z0-9_]{1,20}"\s*[\],]\s*[=,]?\s*[A-Za-z_]*(sock|socket|client|tcp|conn|stream)/ nocase
        $k4 = /\(\s*(Socket|TcpClient|NetworkStream)\s*\)\s*(Session|Application|HttpContext\.Current\.Application)\s*\[/ nocase
        $k5 = /\.\s*Send\s*\(/ nocase
        $r = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|InputStream|BinaryRead|Body))?\s*[\[\(.]/ nocase
        $in = /Request\s*\.\s*(InputStream|BinaryRead|GetBufferlessInputStream)/ nocase
    condition:
        any of ($s*) and $r and (any of ($k1, $k2, $k3, $k4) or ($k5 and $in))
}

rule exray_tunnel_relay
{
    meta:
        family = "HTTP relay tunnel (pystinger / ABPTTS style)"
        description = "re-sends the incoming request body to a server named by the request and returns the answer"
    strings:
        $a = /Request\s*\.\s*(InputStream|BinaryRead)/ nocase
        $b = /(WebRequest|HttpWebRequest)\s*\.\s*Create\s*\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\+/ nocase
        $c = /Request\s*(\.\s*(Form|QueryString|Params|Headers))?\s*\[\s*"[A-Za-z_-]{3,30}"\s*\]/ nocase
        $d = /GetRequestStream\s*\(/ nocase
    condition:
        $a and $b and $c and $d
}

rule exray_tunnel_sniffer
{
    meta:
        family = "raw-socket sniffer"
        description = "a page capturing traffic with a raw socket in promiscuous mode (SIO_RCVALL)"
    strings:
        $a = "SIO_RCVALL" nocase
        $b = /IOControlCode\s*\.\s*ReceiveAll/ nocase
        $c = /SocketType\s*\.\s*Raw/ nocase
        $d = /IOControl\s*\(/ nocase
    condition:
        $a or $b or ($c and $d)
}
