/* testutil.h: cmocka includes in the order cmocka requires. */
#ifndef EXR_TESTUTIL_H
#define EXR_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
