/* bare_client.c: the floor for bench/scan.sh's CPU per host: one TCP connection, one TLS
 * handshake and one GET /owa/ per address, read to the end, with the same OpenSSL exray
 * links, and nothing else (no parsing, no classification, no output). Sequential, blocking:
 * its CPU time per host is what any scanner of this protocol must spend.
 * usage: bare_client FIRST-IPv4 COUNT PORT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int one(SSL_CTX *ctx, uint32_t addr, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(addr)};
    int one_ = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one_, sizeof one_);
    int rc = -1;
    SSL *ssl = NULL;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        goto out;
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1)
        goto out;
    char ip[INET_ADDRSTRLEN], req[256];
    inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip);
    int n = snprintf(req, sizeof req, "GET /owa/ HTTP/1.1\r\nHost: %s\r\nUser-Agent: bare\r\nConnection: close\r\n\r\n", ip);
    if (SSL_write(ssl, req, n) != n)
        goto out;
    char buf[16384];
    while (SSL_read(ssl, buf, sizeof buf) > 0)
        ;
    rc = 0;
out:
    if (ssl) {
        SSL_shutdown(ssl);
        SSL_free(ssl);
    }
    close(fd);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bare_client FIRST-IPv4 COUNT PORT\n");
        return 2;
    }
    struct in_addr first;
    if (inet_pton(AF_INET, argv[1], &first) != 1)
        return 2;
    long count = strtol(argv[2], NULL, 10);
    int port = atoi(argv[3]);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* as a scanner: the certificate is read, not trusted */
    long ok = 0;
    for (long i = 0; i < count; i++)
        ok += one(ctx, ntohl(first.s_addr) + (uint32_t)i, port) == 0;
    SSL_CTX_free(ctx);
    printf("%ld of %ld hosts answered\n", ok, count);
    return 0;
}
