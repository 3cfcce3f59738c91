/* gendoc: `gendoc man|readme|bash` writes exray.1, README's option tables or the bash
 * completion script from the option tables, to standard output. */
#include "../src/cli/gendoc.h"
#include <string.h>

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "man") == 0)
        exr_gendoc_man(stdout, EXRAY_VERSION);
    else if (argc == 2 && strcmp(argv[1], "readme") == 0)
        exr_gendoc_readme(stdout);
    else if (argc == 2 && strcmp(argv[1], "bash") == 0)
        exr_gendoc_bash(stdout);
    else {
        fputs("usage: gendoc man|readme|bash\n", stderr);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
