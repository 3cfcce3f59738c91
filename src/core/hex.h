/* hex.h: the value of one hexadecimal digit, for the decoders of %XX, \xHH and &#xHH;. */
#ifndef EXR_HEX_H
#define EXR_HEX_H

/* 0-15 for 0-9, a-f, A-F; -1 for any other byte. */
static inline int exr_hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#endif
