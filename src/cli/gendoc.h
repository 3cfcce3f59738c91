/* gendoc.h: documents generated from the option tables. */
#ifndef EXR_CLI_GENDOC_H
#define EXR_CLI_GENDOC_H

#include <stdio.h>

void exr_gendoc_man(FILE *f, const char *version);
void exr_gendoc_readme(FILE *f);
void exr_gendoc_bash(FILE *f);

#endif
