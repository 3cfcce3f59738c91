/* swar.h: byte tests on eight bytes at once (Bit Twiddling Hacks, "has less than"), for the
 * scanners that skip runs of ordinary text: the JSON writer and reader, the UTF-8 check. */
#ifndef EXR_SWAR_H
#define EXR_SWAR_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define EXR_SWAR_ONES 0x0101010101010101ULL
#define EXR_SWAR_HIGH 0x8080808080808080ULL

static inline uint64_t exr_swar_load(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

/* some byte of w below k (k <= 128; exact for bytes below 0x80) */
static inline bool exr_swar_has_less(uint64_t w, unsigned k)
{
    return ((w - EXR_SWAR_ONES * k) & ~w & EXR_SWAR_HIGH) != 0;
}

/* some byte of w equal to c */
static inline bool exr_swar_has_byte(uint64_t w, unsigned char c)
{
    return exr_swar_has_less(w ^ (EXR_SWAR_ONES * c), 1);
}

/* some byte of w at 0x80 or above */
static inline bool exr_swar_has_high(uint64_t w)
{
    return (w & EXR_SWAR_HIGH) != 0;
}

#endif
