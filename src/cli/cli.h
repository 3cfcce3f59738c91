/* cli.h: the subcommand table shared by main.c and the per-command files. */
#ifndef EXR_CLI_H
#define EXR_CLI_H

typedef struct exr_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} exr_command;

int exr_cmd_scan(int argc, char **argv);
int exr_cmd_builds(int argc, char **argv);
int exr_cmd_vulns(int argc, char **argv);
int exr_cmd_cases(int argc, char **argv);
int exr_cmd_hosts(int argc, char **argv);
int exr_cmd_hunt(int argc, char **argv);
int exr_cmd_notify(int argc, char **argv);
int exr_cmd_contacts(int argc, char **argv);
int exr_cmd_stats(int argc, char **argv);
int exr_cmd_import(int argc, char **argv);
int exr_cmd_enrich(int argc, char **argv);
int exr_cmd_report(int argc, char **argv);
int exr_cmd_version(int argc, char **argv);
int exr_cmd_db(int argc, char **argv);

#endif
