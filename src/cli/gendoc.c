/* gendoc.c: the man page, the README option tables and bash completion, written from the
 * option tables (build/tools/gendoc runs these at build time). */
#include "gendoc.h"
#include "opts.h"
#include <string.h>

#define MAN_DATE "November 2026"

/* roff: '-' is a hyphen unless escaped, '\' starts an escape, '.' or '\'' at a line's start
 * is a request. */
static void roff(FILE *f, const char *t, size_t n)
{
    for (size_t i = 0; i < n && t[i]; i++) {
        char c = t[i];
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-')
            fputs("\\-", f);
        else if (c == '\n')
            fputc(' ', f);
        else
            fputc(c, f);
    }
}

static void roffs(FILE *f, const char *t)
{
    roff(f, t, strlen(t));
}

static void roff_line(FILE *f, const char *t, size_t n)
{
    if (n && (t[0] == '.' || t[0] == '\''))
        fputs("\\&", f);
    roff(f, t, n);
    fputc('\n', f);
}

static void roff_paras(FILE *f, const char *d)
{
    while (*d) {
        const char *end = strstr(d, "\n\n");
        size_t len = end ? (size_t)(end - d) : strlen(d);
        fputs(".PP\n", f);
        roff_line(f, d, len);
        d += len + (end ? 2 : 0);
    }
}

static void man_option(FILE *f, const exr_opt *o)
{
    fputs(".TP\n", f);
    if (o->shrt)
        fprintf(f, "\\fB\\-%c\\fR, ", o->shrt);
    fputs("\\fB\\-\\-", f);
    roffs(f, o->lng);
    fputs("\\fR", f);
    if (o->arg) {
        fputs(" \\fI", f);
        roffs(f, o->arg);
        fputs("\\fR", f);
    }
    fputc('\n', f);
    roffs(f, o->help);
    fputs(".", f);
    if (o->man) {
        fputc(' ', f);
        roffs(f, o->man);
    }
    if (o->def) {
        fputs(" Default: ", f);
        roffs(f, o->def);
        fputc('.', f);
    }
    if (o->flags & EXR_OPT_REPEAT)
        fputs(" May be given more than once.", f);
    fputc('\n', f);
}

static void man_command(FILE *f, const exr_cmdspec *s)
{
    fprintf(f, ".SS \"exray %s\"\n", s->name);
    roff_paras(f, s->description);
    const char *group = NULL;
    for (int i = 0; i < s->nopts; i++) {
        if (!group || strcmp(group, s->opts[i].group) != 0) {
            group = s->opts[i].group;
            fputs(".PP\n\\fI", f);
            roffs(f, group);
            fputs("\\fR\n", f);
        }
        man_option(f, &s->opts[i]);
    }
}

static void man_synopsis(FILE *f, const exr_cmdspec *s)
{
    for (const char *syn = s->synopsis; *syn;) {
        size_t w = strcspn(syn, "\n");
        fprintf(f, ".B exray %s\n", s->name);
        roff_line(f, syn, w);
        fputs(".br\n", f);
        syn += w + (syn[w] == '\n');
    }
}

/* examples: "$ command" lines, each followed by one line saying what it does */
static void man_examples(FILE *f, const exr_cmdspec *s)
{
    fprintf(f, ".SS \"exray %s\"\n", s->name);
    for (const char *e = s->examples; *e;) {
        size_t w = strcspn(e, "\n");
        if (e[0] == '$') {
            fputs(".PP\n.RS 4\n.nf\n", f);
            roff_line(f, e + 2, w > 2 ? w - 2 : 0);
            fputs(".fi\n.RE\n", f);
        } else {
            roff_line(f, e, w);
        }
        e += w + (e[w] == '\n');
    }
}

static void man_exit(FILE *f, const exr_cmdspec *s)
{
    fprintf(f, ".SS \"exray %s\"\n", s->name);
    for (const char *e = s->exit_status; *e;) {
        size_t w = strcspn(e, "\n");
        const char *tab = memchr(e, '\t', w);
        if (tab) {
            fputs(".TP\n", f);
            fprintf(f, ".B %.*s\n", (int)(tab - e), e);
            roff_line(f, tab + 1, (size_t)(e + w - tab - 1));
        }
        e += w + (e[w] == '\n');
    }
}

void exr_gendoc_man(FILE *f, const char *version)
{
    fprintf(f,
            ".\\\" exray.1: generated from src/cli/opts_*.c by build/tools/gendoc; edit those.\n"
            ".TH EXRAY 1 \"%s\" \"exray %s\" \"User Commands\"\n.SH NAME\n"
            "exray \\- find, triage and notify vulnerable and compromised Exchange servers\n.SH SYNOPSIS\n",
            MAN_DATE, version);
    for (int i = 0; i < exr_nspecs; i++)
        man_synopsis(f, exr_specs[i]);
    fputs(".B exray help\nCOMMAND\n.br\n.B exray \\-\\-version\n", f);
    fputs(".SH DESCRIPTION\n"
          "exray is the response to a mass exploitation of on-premises Microsoft Exchange (ProxyLogon, ProxyShell, "
          "ProxyNotShell) in one tool:\n.B scan\nfinds Exchange servers and reads their exact build without exploiting "
          "anything;\n.B hunt\nfinds the traces of exploitation and the web shells on a server or its triage copy;\n"
          ".B notify\nsends each affected organisation one notification, exactly once;\n.B stats\nand\n.B report\n"
          "draw the campaign.\n.PP\nEvery command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR; an unknown option is an error "
          "that names it and the closest known one; \\fB\\-\\-\\fR ends the options.\n.SH COMMANDS\n",
          f);
    for (int i = 0; i < exr_nspecs; i++)
        man_command(f, exr_specs[i]);
    fputs(".SH EXAMPLES\n", f);
    for (int i = 0; i < exr_nspecs; i++)
        man_examples(f, exr_specs[i]);
    fputs(".SH EXIT STATUS\n", f);
    for (int i = 0; i < exr_nspecs; i++)
        man_exit(f, exr_specs[i]);
    fputs(".SH ENVIRONMENT\n.TP\n.B PGPASSWORD\nthe password of a PostgreSQL \\fB\\-\\-db\\fR that does not carry one "
          "(libpq also reads \\fI~/.pgpass\\fR and the other PG* variables); never give it on the command line.\n"
          ".TP\n.I VAR\nthe SMTP password, named by notify \\fB\\-\\-smtp\\-pass\\-env\\fR \\fIVAR\\fR.\n",
          f);
    fputs(".SH FILES\n.TP\n.I exray.db\nthe SQLite store that scan and import write and notify, stats and report read "
          "(with its \\-wal and \\-shm files while in use); name it with \\fB\\-\\-db\\fR.\n"
          ".TP\n.I postgresql://user@host/db\na PostgreSQL store instead, for scans from several machines.\n"
          ".TP\n.I DIR/new/TICKET.eml\na message that notify \\fB\\-\\-maildir\\fR delivered.\n"
          ".TP\n.I /usr/local/share/bash\\-completion/completions/exray\nbash completion (under the PREFIX given to make "
          "install).\n.PP\nThe Exchange build table, the web-shell rules, the published web-shell hashes, the national "
          "CERT table and the message templates are compiled in; \\fB\\-\\-builds\\fR, \\fB\\-\\-rules\\fR, "
          "\\fB\\-\\-national\\fR and \\fB\\-\\-templates\\fR replace or extend them.\n"
          ".SH SEE ALSO\n.BR zmap (8),\n.BR yara (1),\n.BR nmap (1)\n",
          f);
}

static void md(FILE *f, const char *t)
{
    for (; *t; t++) {
        if (*t == '|')
            fputs("\\|", f);
        else if (*t == '\n')
            fputc(' ', f);
        else
            fputc(*t, f);
    }
}

void exr_gendoc_readme(FILE *f)
{
    fputs("<!-- options: generated from src/cli/opts_*.c by `make readme-options`; a test fails when they differ -->\n", f);
    for (int i = 0; i < exr_nspecs; i++) {
        const exr_cmdspec *s = exr_specs[i];
        fprintf(f, "\n#### exray %s\n\n", s->name);
        for (const char *syn = s->synopsis; *syn;) {
            size_t w = strcspn(syn, "\n");
            fprintf(f, "`exray %s %.*s`  \n", s->name, (int)w, syn);
            syn += w + (syn[w] == '\n');
        }
        fprintf(f, "%s.\n\n| option | meaning | default |\n|---|---|---|\n", s->summary);
        for (int k = 0; k < s->nopts; k++) {
            const exr_opt *o = &s->opts[k];
            fputs("| `", f);
            if (o->shrt)
                fprintf(f, "-%c, ", o->shrt);
            fprintf(f, "--%s%s%s` | ", o->lng, o->arg ? " " : "", o->arg ? o->arg : "");
            md(f, o->help);
            fputs(o->flags & EXR_OPT_REPEAT ? " (repeatable) | " : " | ", f);
            if (o->def)
                md(f, o->def);
            fputs(" |\n", f);
        }
    }
    fputs("<!-- options: end -->\n", f);
}

static void bash_command(FILE *f, const exr_cmdspec *s)
{
    fprintf(f, "    \"%s\")\n        opts=\"--help", s->name);
    for (int i = 0; i < s->nopts; i++) {
        fprintf(f, " --%s", s->opts[i].lng);
        if (s->opts[i].shrt)
            fprintf(f, " -%c", s->opts[i].shrt);
    }
    fputs("\"\n        case \"$prev\" in\n", f);
    for (int i = 0; i < s->nopts; i++) {
        const exr_opt *o = &s->opts[i];
        if (!o->arg)
            continue;
        fprintf(f, "        --%s", o->lng);
        if (o->shrt)
            fprintf(f, "|-%c", o->shrt);
        if (o->choices)
            fprintf(f, ") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", o->choices);
        else if (!strcmp(o->arg, "DIR"))
            fputs(") COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", f);
        else if (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "PATH") || !strcmp(o->arg, "STORE"))
            fputs(") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
        else
            fputs(") COMPREPLY=(); return ;;\n", f);
    }
    fputs("        esac ;;\n", f);
}

void exr_gendoc_bash(FILE *f)
{
    fputs("# bash completion for exray: generated from src/cli/opts_*.c by build/tools/gendoc; edit those.\n"
          "_exray()\n{\n    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    local cmd=${COMP_WORDS[1]} key opts\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"scan hunt builds import notify contacts enrich stats report db help --help --version\" -- "
          "\"$cur\"))\n"
          "        return\n    fi\n    key=$cmd\n    case \"$cmd\" in\n"
          "    help) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"scan hunt builds import notify contacts enrich stats report "
          "db\" -- \"$cur\"))\n"
          "        return ;;\n"
          "    contacts|enrich|db)\n        if [ \"$COMP_CWORD\" -eq 2 ]; then\n"
          "            [ \"$cmd\" = contacts ] && COMPREPLY=($(compgen -W \"import optout\" -- \"$cur\"))\n"
          "            [ \"$cmd\" = enrich ] && COMPREPLY=($(compgen -W \"compile lookup\" -- \"$cur\"))\n"
          "            [ \"$cmd\" = db ] && COMPREPLY=($(compgen -W \"copy\" -- \"$cur\"))\n"
          "            return\n        fi\n        key=\"$cmd ${COMP_WORDS[2]}\" ;;\n    esac\n    case \"$key\" in\n",
          f);
    for (int i = 0; i < exr_nspecs; i++)
        bash_command(f, exr_specs[i]);
    fputs("    *) return ;;\n    esac\n"
          "    if [[ $cur == -* ]]; then\n        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n    fi\n}\ncomplete -F _exray exray\n",
          f);
}
