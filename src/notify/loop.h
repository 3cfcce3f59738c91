/* loop.h: what planning (plan.c) and delivery (notify.c) share of the notification loop. */
#ifndef EXR_NOTIFY_LOOP_H
#define EXR_NOTIFY_LOOP_H

/* A case's hosts (the newest directive of each host with the recipient whose case it is) and
 * how many of them are resolved; binds the recipient twice. */
#define CASE_COUNTS_SQL                                                                                                                    \
    "SELECT COUNT(*), SUM(CASE WHEN d.kind = 'resolved' THEN 1 ELSE 0 END) FROM directives d"                                              \
    " WHERE COALESCE(d.origin, d.recipient) = ? AND d.id = (SELECT MAX(x.id) FROM directives x"                                            \
    " WHERE x.ip = d.ip AND COALESCE(x.origin, x.recipient) = ?)"

#endif
